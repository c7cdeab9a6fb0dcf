// MediaPipe's canonical face mesh (Apache-2.0), read from the npm package @mediapipe/face_mesh.
//
// The mesh is stored in the package's packed asset file as the protobuf
// `geometry_pipeline_metadata_landmarks.binarypb` (mediapipe/modules/face_geometry/protos):
//   GeometryPipelineMetadata { Mesh3d canonical_mesh = 1; repeated WeightedLandmarkRef procrustes_landmark_basis = 2;
//                              InputSource input_source = 3; }
//   Mesh3d { VertexType vertex_type = 1 (0 = VERTEX_PT: x y z u v); PrimitiveType primitive_type = 2 (0 = TRIANGLE);
//            repeated float vertex_buffer = 3; repeated uint32 index_buffer = 4; }
// Units are centimetres, y up, z towards the viewer (the nose tip has the largest z); triangles are
// counter-clockwise seen from +z. The outer contour is the only boundary: eyes and mouth are closed.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { InputError } from '../../core/errors.js';

export const MESH_VERTEX_COUNT = 468;
export const MESH_TRIANGLE_COUNT = 898;
const ASSET_NAME = 'geometry_pipeline_metadata_landmarks.binarypb';
/** Where the asset lies (docs/DESIGN.md "Data facts"); used when the package's loader script cannot be read. */
const FALLBACK_RANGE = { start: 3737848, end: 3757224 } as const;

export interface CanonicalMesh {
  /** [x, y, z] per vertex, centimetres. */
  positions: Float32Array;
  /** [u, v] per vertex in [0, 1] (v down, as in MediaPipe's texture). */
  uvs: Float32Array;
  /** Three vertex indices per triangle. */
  triangles: Uint16Array;
  vertexCount: number;
  triangleCount: number;
}

/** Vertex loops of facial features (MediaPipe face_mesh_connections), subject's right = image left. */
export const FEATURE_LOOPS = {
  rightEye: [33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246],
  leftEye: [263, 249, 390, 373, 374, 380, 381, 382, 362, 398, 384, 385, 386, 387, 388, 466],
  outerLips: [61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291, 409, 270, 269, 267, 0, 37, 39, 40, 185],
  innerLips: [78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308, 415, 310, 311, 312, 13, 82, 81, 80, 191],
  rightBrow: [70, 63, 105, 66, 107, 55, 65, 52, 53, 46],
  leftBrow: [300, 293, 334, 296, 336, 285, 295, 282, 283, 276],
} as const;

/** Single vertices used as anchors: nose tip, mouth corners, chin, forehead. */
export const LANDMARK = { noseTip: 4, mouthRight: 61, mouthLeft: 291, chin: 152, forehead: 10, upperLipInner: 13, lowerLipInner: 14 } as const;

/** Reads a protobuf varint at `pos`; returns [value, next position]. */
function readVarint(bytes: Uint8Array, pos: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (;;) {
    if (pos >= bytes.length) throw new Error('truncated varint');
    const byte = bytes[pos++]!;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return [value, pos];
    scale *= 128;
  }
}

interface ProtoField {
  field: number;
  wire: number;
  /** Varint value (wire 0) or the byte offset of a fixed32 (wire 5). */
  value: number;
  /** Payload of a length-delimited field (wire 2). */
  bytes?: Uint8Array;
}

/** Splits one protobuf message into its fields (wire types 0, 1, 2, 5). */
function parseMessage(bytes: Uint8Array): ProtoField[] {
  const fields: ProtoField[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const [key, afterKey] = readVarint(bytes, pos);
    pos = afterKey;
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) {
      const [value, next] = readVarint(bytes, pos);
      fields.push({ field, wire, value });
      pos = next;
    } else if (wire === 5) {
      fields.push({ field, wire, value: pos });
      pos += 4;
    } else if (wire === 1) {
      fields.push({ field, wire, value: pos });
      pos += 8;
    } else if (wire === 2) {
      const [length, next] = readVarint(bytes, pos);
      fields.push({ field, wire, value: length, bytes: bytes.subarray(next, next + length) });
      pos = next + length;
    } else {
      throw new Error(`unsupported protobuf wire type ${wire} at byte ${pos}`);
    }
    if (pos > bytes.length) throw new Error('truncated protobuf message');
  }
  return fields;
}

/** Decodes a Mesh3d message (vertex_type VERTEX_PT, primitive_type TRIANGLE). */
export function parseMesh3d(bytes: Uint8Array): CanonicalMesh {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const floats: number[] = [];
  const indices: number[] = [];
  for (const f of parseMessage(bytes)) {
    if ((f.field === 1 || f.field === 2) && f.wire === 0 && f.value !== 0) {
      throw new Error(`Mesh3d ${f.field === 1 ? 'vertex_type' : 'primitive_type'} is ${f.value}, expected 0`);
    }
    if (f.field === 3 && f.wire === 5) floats.push(view.getFloat32(f.value, true));
    if (f.field === 3 && f.wire === 2) {
      const b = f.bytes!;
      const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
      for (let i = 0; i + 4 <= b.length; i += 4) floats.push(v.getFloat32(i, true));
    }
    if (f.field === 4 && f.wire === 0) indices.push(f.value);
    if (f.field === 4 && f.wire === 2) {
      let pos = 0;
      while (pos < f.bytes!.length) {
        const [value, next] = readVarint(f.bytes!, pos);
        indices.push(value);
        pos = next;
      }
    }
  }
  if (floats.length % 5 !== 0) throw new Error(`vertex buffer of ${floats.length} floats is not x y z u v`);
  if (indices.length % 3 !== 0) throw new Error(`index buffer of ${indices.length} is not triangles`);
  const vertexCount = floats.length / 5;
  const positions = new Float32Array(vertexCount * 3);
  const uvs = new Float32Array(vertexCount * 2);
  for (let i = 0; i < vertexCount; i++) {
    positions[3 * i] = floats[5 * i]!;
    positions[3 * i + 1] = floats[5 * i + 1]!;
    positions[3 * i + 2] = floats[5 * i + 2]!;
    uvs[2 * i] = floats[5 * i + 3]!;
    uvs[2 * i + 1] = floats[5 * i + 4]!;
  }
  for (const index of indices) if (index >= vertexCount) throw new Error(`triangle index ${index} >= ${vertexCount} vertices`);
  return { positions, uvs, triangles: Uint16Array.from(indices), vertexCount, triangleCount: indices.length / 3 };
}

/** Decodes GeometryPipelineMetadata and returns its canonical_mesh (field 1). */
export function parseGeometryPipelineMetadata(bytes: Uint8Array): CanonicalMesh {
  const meshField = parseMessage(bytes).find((f) => f.field === 1 && f.wire === 2);
  if (!meshField) throw new Error('GeometryPipelineMetadata has no canonical_mesh');
  return parseMesh3d(meshField.bytes!);
}

const require = createRequire(import.meta.url);

/** The asset's byte range inside the packed file, from the package's loader script. */
function assetRange(packageDir: string): { start: number; end: number } {
  try {
    const loader = readFileSync(join(packageDir, 'face_mesh_solution_packed_assets_loader.js'), 'utf8');
    const match = new RegExp(`${ASSET_NAME.replace('.', '\\.')}", "start": (\\d+), "end": (\\d+)`).exec(loader);
    if (match) return { start: Number(match[1]), end: Number(match[2]) };
  } catch {
    // fall through to the documented range
  }
  return FALLBACK_RANGE;
}

let cached: CanonicalMesh | null = null;

/** Loads and checks the canonical mesh once per process (468 vertices, 898 triangles). */
export function loadCanonicalMesh(): CanonicalMesh {
  if (cached) return cached;
  let packageDir: string;
  try {
    packageDir = dirname(require.resolve('@mediapipe/face_mesh/package.json'));
  } catch {
    throw new InputError('package @mediapipe/face_mesh is not installed; it ships the canonical face mesh. Fix: npm install');
  }
  const file = join(packageDir, 'face_mesh_solution_packed_assets.data');
  const { start, end } = assetRange(packageDir);
  const data = readFileSync(file);
  if (data.length < end) throw new InputError(`${file}: ${data.length} bytes, expected at least ${end}; reinstall @mediapipe/face_mesh`);
  const mesh = parseGeometryPipelineMetadata(new Uint8Array(data.buffer, data.byteOffset + start, end - start));
  if (mesh.vertexCount !== MESH_VERTEX_COUNT || mesh.triangleCount !== MESH_TRIANGLE_COUNT) {
    throw new InputError(
      `${file} bytes ${start}-${end}: canonical mesh has ${mesh.vertexCount} vertices and ${mesh.triangleCount} triangles, ` +
        `expected ${MESH_VERTEX_COUNT} and ${MESH_TRIANGLE_COUNT}; the @mediapipe/face_mesh version differs from 0.4.1657299874`,
    );
  }
  cached = mesh;
  return mesh;
}
