// Training curves (issue #19): a training cell writes curves/<cell-id>.csv with one row per epoch and
// finite losses, and writing them changes no measured value. One MNIST cell (ddc) and one face cell
// (sface), each run for 2 epochs (their smoke profiles train 1).
import { describe, expect, it } from 'vitest';
import { ddcPaper } from '../../src/papers/ddc.js';
import { sfacePaper } from '../../src/papers/sface.js';
import { csvRows, runCellWithFiles } from './helpers.js';

describe('training curves of a cell', () => {
  it('MNIST (ddc mnist-dw3): curves/mnist-dw3.csv, seed,epoch,loss, one row per epoch and seed, the last loss = final_train_loss', async () => {
    const { rows, files } = await runCellWithFiles(ddcPaper, 'smoke', 'mnist-dw3', 1, { epochs: 2 });
    expect(Object.keys(files)).toEqual(['curves/mnist-dw3.csv']);
    const [header, ...lines] = csvRows(files['curves/mnist-dw3.csv']);
    expect(header).toEqual(['seed', 'epoch', 'loss']);
    expect(lines.map((l) => [l[0], l[1]])).toEqual([
      ['0', '1'],
      ['0', '2'],
    ]);
    for (const l of lines) expect(Number.isFinite(Number(l[2]))).toBe(true);
    const finalLoss = rows.find((r) => r.metric === 'final_train_loss' && r.key.seed === 0)!.value;
    expect(Number(lines.at(-1)![2])).toBe(finalLoss);
  }, 120_000);

  it('face (sface noise40-softmax): curves/noise40-softmax.csv, epoch,loss, and its ROC, one row per epoch, the last loss = final_train_loss', async () => {
    const { rows, files } = await runCellWithFiles(sfacePaper, 'smoke', 'noise40-softmax', 1, { epochs: 2 });
    expect(Object.keys(files).sort()).toEqual(['curves/noise40-softmax.csv', 'roc/noise40-softmax.csv']);
    expect(csvRows(files['roc/noise40-softmax.csv'])[0]).toEqual(['far', 'achieved_far', 'tar', 'threshold']);
    const [header, ...lines] = csvRows(files['curves/noise40-softmax.csv']);
    expect(header).toEqual(['epoch', 'loss']);
    expect(lines.map((l) => l[0])).toEqual(['1', '2']);
    for (const l of lines) expect(Number.isFinite(Number(l[1]))).toBe(true);
    expect(Number(lines.at(-1)![1])).toBe(rows.find((r) => r.metric === 'final_train_loss')!.value);
  }, 120_000);
});
