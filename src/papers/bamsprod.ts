// repro bamsprod: the convex counterexample and binary-network convergence (docs/papers/bamsprod.md).
import { datasetRequirement } from '../data/catalog.js';
import { loadCifar, toImageSet } from '../data/cifar.js';
import { splitEmbeddedMnist, type ImageSet } from '../data/mnist.js';
import { createRng, derivedSeed } from '../core/rng.js';
import type { CellContext, Profile } from '../core/types.js';
import { trainingCurves } from '../harness/curves.js';
import { definePaper, type RowOf } from '../harness/define-paper.js';
import { adam } from '../methods/bamsprod/adam.js';
import { amsgrad } from '../methods/bamsprod/amsgrad.js';
import { bamsprod as bamsprodOptimizer, type BamsprodTarget } from '../methods/bamsprod/bamsprod.js';
import { createBinaryMlp, disposeBinaryMlp, trainBinaryMlp } from '../methods/bamsprod/bnn.js';
import { bop } from '../methods/bamsprod/bop.js';
import { runCounterexample } from '../methods/bamsprod/convex.js';
import type { ElementwiseOptimizer } from '../methods/bamsprod/optimizer.js';
import { sgd } from '../methods/bamsprod/sgd.js';

const TABLES = {
  convex: {
    title: 'Convex counterexample (Reddi-type, STE-binarised) [recon]',
    keyColumns: ['optimizer', 'setting'],
    metrics: ['final_w', 'avg_regret'],
  },
  bnn: {
    title: 'Binary MLP: accuracy and steps to a fixed training loss',
    keyColumns: ['optimizer'],
    metrics: ['test_accuracy', 'steps_to_target_loss', 'final_train_loss'],
  },
} as const;
type Row = RowOf<typeof TABLES>;

const RECON = '[recon] BAMSProd update and counterexample reconstructed (card); paper text unreadable';

// ---- table `convex` ----

/** Card claim 1: C = 3, β1 = 0, β2 = 1/(1 + C²) = 0.1, α_t = 0.5/√t; ε = 1e-8 and the start w0 = 0 stated, not defaulted. */
const C = 3;
const W0 = 0;
const CONVEX = { lr: 0.5, beta1: 0, beta2: 1 / (1 + C * C), eps: 1e-8, decay: 'sqrt' as const };

interface ConvexRow {
  optimizer: string;
  setting: string;
  binary: boolean;
  make: () => ElementwiseOptimizer;
}

// Adam and AMSGrad in the form of Reddi et al.'s counterexample (no bias correction); the bias-corrected
// forms (Kingma & Ba's Adam, PyTorch's Adam(amsgrad=True)) are the other reading, in rows of their own.
const convexRows = (): ConvexRow[] => [
  { optimizer: 'sgd', setting: 'binary', binary: true, make: () => sgd({ lr: CONVEX.lr, decay: 'sqrt' }) },
  { optimizer: 'adam', setting: 'real', binary: false, make: () => adam({ ...CONVEX, biasCorrection: false }) },
  { optimizer: 'adam', setting: 'binary', binary: true, make: () => adam({ ...CONVEX, biasCorrection: false }) },
  { optimizer: 'adam-bias-corrected', setting: 'binary', binary: true, make: () => adam(CONVEX) },
  { optimizer: 'amsgrad', setting: 'binary', binary: true, make: () => amsgrad({ ...CONVEX, form: 'reddi' }) },
  { optimizer: 'amsgrad-pytorch', setting: 'binary', binary: true, make: () => amsgrad({ ...CONVEX, form: 'pytorch' }) },
  ...[1, 0.1, 10].map((c) => ({
    optimizer: 'bamsprod',
    setting: c === 1 ? 'binary' : `binary c*=${c}`,
    binary: true,
    make: () => bamsprodOptimizer({ lr: CONVEX.lr, beta1: 0, beta2: CONVEX.beta2, target: { constant: c } }),
  })),
];

const CONVEX_FORMS: Record<string, string> = {
  adam: "Reddi et al.'s form: no bias correction",
  'adam-bias-corrected': 'Kingma & Ba form (bias-corrected): the other reading',
  amsgrad: "Reddi et al.'s Algorithm 2: no bias correction",
  'amsgrad-pytorch': 'PyTorch Adam(amsgrad=True) form (bias-corrected): the other reading',
};

function runConvex(steps: number): Row[] {
  return convexRows().flatMap(({ optimizer, setting, binary, make }) => {
    const result = runCounterexample(make(), { c: C, steps, binary, w0: W0 });
    const key = { optimizer, setting };
    const form = CONVEX_FORMS[optimizer] ? `; ${CONVEX_FORMS[optimizer]}` : '';
    const note = `C=${C}, beta1=0, beta2=1/(1+C^2), lr=0.5/sqrt(t), eps=${CONVEX.eps}, w0=${W0}, T=${steps}${form}${optimizer === 'bamsprod' ? `; ${RECON}` : ''}`;
    return [
      { table: 'convex', key, metric: 'final_w', value: result.finalW, note },
      { table: 'convex', key, metric: 'avg_regret', value: result.averageRegret, note },
    ];
  });
}

// ---- table `bnn` ----

type BnnOptimizer = 'adam' | 'amsgrad' | 'bop' | 'bamsprod' | 'bamsprod-qerr';

interface BnnParams {
  optimizer: BnnOptimizer;
  dataset: 'mnist-embedded' | 'cifar10';
  train: number;
  test: number;
  hidden: number;
  epochs: number;
  batchSize: number;
  targetLoss: number;
}

/** Hyper-parameters fixed before any run; the note of each row repeats them. */
function bnnOptimizer(name: BnnOptimizer): { optimizer: ElementwiseOptimizer; weights: 'latent' | 'binary'; note: string } {
  const bamsprodNote = (target: BamsprodTarget) =>
    `lr=1e-3/sqrt(t), gamma_b=1e-3, c*=${typeof target === 'string' ? 'quantisation error (card suggestion)' : target.constant}; ${RECON}`;
  switch (name) {
    case 'adam':
      return { optimizer: adam({ lr: 1e-3 }), weights: 'latent', note: 'Adam lr=1e-3 on latent weights' };
    case 'amsgrad':
      return {
        optimizer: amsgrad({ lr: 1e-3, form: 'pytorch' }),
        weights: 'latent',
        note: "AMSGrad lr=1e-3 on latent weights, PyTorch's Adam(amsgrad=True) form (bias-corrected; Reddi's Algorithm 2 has none)",
      };
    case 'bop':
      // Bop's hyper-parameter study (batch 100): τ = 1e-6, γ = 1e-3 (card, plumerai settings).
      return { optimizer: bop({ threshold: 1e-6, gamma: 1e-3 }), weights: 'binary', note: 'Bop tau=1e-6 gamma=1e-3 (Bop paper sec. 5.1 settings)' };
    case 'bamsprod':
      return { optimizer: bamsprodOptimizer({ lr: 1e-3, target: { constant: 1 } }), weights: 'latent', note: bamsprodNote({ constant: 1 }) };
    case 'bamsprod-qerr':
      return { optimizer: bamsprodOptimizer({ lr: 1e-3, target: 'quantisation-error' }), weights: 'latent', note: bamsprodNote('quantisation-error') };
  }
}

function loadBnnData(params: BnnParams, seed: number, dataDir: string): { train: ImageSet; test: ImageSet } {
  if (params.dataset === 'mnist-embedded') return splitEmbeddedMnist(seed, { train: params.train, test: params.test });
  const dir = datasetRequirement('cifar10', dataDir).path;
  return { train: toImageSet(loadCifar(dir, 'cifar10', 'train')), test: toImageSet(loadCifar(dir, 'cifar10', 'test')) };
}

/** One BNN cell; writes curves/<cell>.csv, the mean training loss per epoch (test accuracy is measured at the end only). */
async function runBnn(params: BnnParams, cellId: string, seed: number, ctx: CellContext): Promise<Row[]> {
  const { train, test } = loadBnnData(params, seed, ctx.dataDir);
  const { optimizer, weights, note } = bnnOptimizer(params.optimizer);
  const inputs = train.height * train.width * train.channels;
  const mlp = createBinaryMlp({ sizes: [inputs, params.hidden, params.hidden, train.classes], weightOptimizer: optimizer, weights, rng: createRng(seed) });
  try {
    const label = `bnn ${params.optimizer}`;
    ctx.progress.start(label, params.epochs);
    const curves = trainingCurves(['epoch', 'loss']);
    const result = await trainBinaryMlp(mlp, train, test, {
      epochs: params.epochs,
      batchSize: params.batchSize,
      targetLoss: params.targetLoss,
      lossWindow: 20,
      seed,
      label,
      onEpoch: (e) => {
        curves.add({ epoch: e.epoch, loss: e.loss });
        ctx.progress.tick(`loss ${e.loss.toFixed(4)}`);
      },
    });
    ctx.progress.stop();
    curves.write(ctx.files, cellId);
    const key = { optimizer: params.optimizer };
    const setup =
      `${params.dataset} ${params.train}/${params.test}, binary MLP ${inputs}-${params.hidden}-${params.hidden}-${train.classes} with BN, ` +
      `batch ${params.batchSize}, ${params.epochs} epochs, BN params by Adam 0.01; ${note}`;
    const reached = result.stepsToTarget === null ? `; running loss never reached ${params.targetLoss} in ${result.steps} steps` : '';
    return [
      { table: 'bnn', key, metric: 'test_accuracy', value: 100 * result.testAccuracy, note: setup },
      {
        table: 'bnn',
        key,
        metric: 'steps_to_target_loss',
        value: result.stepsToTarget,
        note: `target running loss ${params.targetLoss} (20 batches)${reached}`,
      },
      { table: 'bnn', key, metric: 'final_train_loss', value: result.finalTrainLoss },
    ];
  } finally {
    disposeBinaryMlp(mlp);
  }
}

// ---- profiles ----

interface BamsprodSize {
  convexSteps: number;
  bnn: Omit<BnnParams, 'optimizer'>;
}

const SIZES: Record<Profile, BamsprodSize> = {
  smoke: { convexSteps: 100_000, bnn: { dataset: 'mnist-embedded', train: 600, test: 300, hidden: 64, epochs: 2, batchSize: 100, targetLoss: 1.0 } },
  quick: { convexSteps: 300_000, bnn: { dataset: 'mnist-embedded', train: 8000, test: 2000, hidden: 256, epochs: 10, batchSize: 100, targetLoss: 0.5 } },
  paper: { convexSteps: 300_000, bnn: { dataset: 'cifar10', train: 50000, test: 10000, hidden: 1024, epochs: 100, batchSize: 100, targetLoss: 0.5 } },
};

const BNN_OPTIMIZERS: BnnOptimizer[] = ['adam', 'amsgrad', 'bop', 'bamsprod', 'bamsprod-qerr'];

export const bamsprodPaper = definePaper({
  id: 'bamsprod',
  title: 'BAMSProd: A Step towards Generalizing the Adaptive Optimization Methods to Deep Binary Model',
  citation: 'Liu, Wen, Wang, Tao, Chen, Osa, Kato. arXiv:2009.13799 (2020)',
  summary: 'BAMSProd optimizer for binary networks: convex counterexample and BNN convergence',
  description:
    'Runs the Reddi-type convex counterexample with STE-binarised weights under SGD, Adam, AMSGrad and the reconstructed BAMSProd, ' +
    'then trains a binary MLP with Adam, AMSGrad, Bop and BAMSProd and reports accuracy and steps to a fixed training loss.',
  tables: TABLES,
  profiles: SIZES,
  datasets: (size, dataDir) => (size.bnn.dataset === 'cifar10' ? [datasetRequirement('cifar10', dataDir)] : []),
  cells: {
    convex: {
      plan: (size, seed) => [{ id: 'convex', params: { steps: size.convexSteps }, seed: derivedSeed(seed, 'convex') }],
      run: (params: { steps: number }) => runConvex(params.steps),
    },
    bnn: {
      // Every optimizer shares one seed: same split, initialisation and batch order.
      plan: (size, seed) => BNN_OPTIMIZERS.map((optimizer) => ({ id: `bnn-${optimizer}`, params: { ...size.bnn, optimizer }, seed: derivedSeed(seed, 'bnn') })),
      run: (params: BnnParams, cell, ctx) => runBnn(params, cell.id, cell.seed, ctx),
    },
  },
});
