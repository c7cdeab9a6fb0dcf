// The white-box surrogate: face-api's ResNet-34 (128-d) as a differentiable tfjs function. It is the
// network src/data/pretrained.ts embeds with, called through its tape-recorded forward, since a cloak
// needs ∂L/∂x (test/methods/ga/surrogate.test.ts checks it against loadFaceApiResNet34().embed).
import { faceApiManifestPath, loadFaceApiNetwork, type DifferentiableFaceNet } from '../../data/pretrained.js';

/** A differentiable embedder: images [n, h, w, 3] in [0, 1] → descriptors [n, dim] (not normalised). */
export type Surrogate = DifferentiableFaceNet;

/** face-api ResNet-34: resize to 150 (bilinear) → ·255 − mean → /255 → net → fc; exit 2 naming a bad manifest. */
export function loadFaceApiSurrogate(manifest = faceApiManifestPath()): Promise<Surrogate> {
  return loadFaceApiNetwork(manifest);
}
