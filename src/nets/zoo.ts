// The networks of docs/papers/ by name, for `repro hw --network NAME` and the golden reports.
import { jpu } from './jpu.js';
import { mobileNetV1 } from './mobilenet.js';
import { retinaFace } from './retinaface.js';
import type { NetworkSpec } from './spec.js';
import { tinyYolo } from './tinyyolo.js';

export const NETWORKS: Record<string, { describe: string; build: () => NetworkSpec }> = {
  retinaface: { describe: 'RetinaFace-mnet0.25 (biubug6), 640x640', build: () => retinaFace() },
  'retinaface-dilated': {
    describe: 'RetinaFace with 3x3 dilated SSH 16->16 layers (CASSOD previous work) [recon]',
    build: () => retinaFace({ variant: 'dilated' }),
  },
  'retinaface-cassod': { describe: 'RetinaFace with CASSOD context modules [recon]', build: () => retinaFace({ variant: 'cassod' }) },
  'retinaface-ddc': {
    describe: 'RetinaFace with DDC (depthwise dilated + pointwise) SSH layers, V1 of docs/papers/ddc.md [recon]',
    build: () => retinaFace({ variant: 'ddc' }),
  },
  'tiny-yolov2': { describe: 'Tiny-YOLOv2 face detector, 416x416, 1 class', build: () => tinyYolo() },
  'condensation-net': { describe: 'Tiny-YOLOv2 with CCP(2) after conv3-conv6 [recon]', build: () => tinyYolo({ ccpLayers: [3, 4, 5, 6] }) },
  jpu: { describe: 'EncNet+JPU separable dilated branches (FastFCN, ResNet-50, crop 480)', build: () => jpu() },
  'jpu-cassod': { describe: 'JPU with cascaded depthwise 2x2 branches [recon]', build: () => jpu({ variant: 'cassod' }) },
  mobilenetv1: { describe: 'MobileNetV1 1.0, 224x224', build: () => mobileNetV1() },
  'mobilenetv1-dw5': { describe: 'MobileNetV1 1.0 with depthwise 5x5', build: () => mobileNetV1({ depthwiseKernel: 5 }) },
};
