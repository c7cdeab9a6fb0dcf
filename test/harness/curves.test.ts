// The training-curves and ROC helpers: columns, number formatting as the tables write them, the file name.
import { describe, expect, it } from 'vitest';
import { collectCellFiles } from '../../src/harness/cell-files.js';
import { curvesFileName, trainingCurves, writeLossCurves, writeRocCurves } from '../../src/harness/curves.js';

describe('trainingCurves', () => {
  it('renders a header and one line per row; numbers round-trip (formatNumber), null and NaN empty', () => {
    const curves = trainingCurves(['seed', 'epoch', 'loss', 'accuracy']);
    curves.add({ seed: 0, epoch: 1, loss: 0.1 + 0.2, accuracy: null });
    curves.add({ seed: 'r0', epoch: 2, loss: 1e-7, accuracy: Number.NaN });
    expect(curves.csv()).toBe('seed,epoch,loss,accuracy\n0,1,0.30000000000000004,\nr0,2,1e-7,\n');
    expect(Number('0.30000000000000004')).toBe(0.1 + 0.2);
  });

  it('addLosses numbers epochs from 1 and fills the other columns', () => {
    const curves = trainingCurves(['model', 'epoch', 'loss', 'accuracy']);
    curves.addLosses([3, 2.5], { model: 'a' });
    expect(curves.rows).toEqual([
      { model: 'a', epoch: 1, loss: 3, accuracy: null },
      { model: 'a', epoch: 2, loss: 2.5, accuracy: null },
    ]);
  });

  it('refuses columns without epoch or loss, repeated ones, and rows that miss or add a column', () => {
    expect(() => trainingCurves(['epoch'] as string[])).toThrow("'loss'");
    expect(() => trainingCurves(['epoch', 'loss', 'loss'])).toThrow('repeated');
    const curves = trainingCurves(['epoch', 'loss']);
    expect(() => curves.add({ epoch: 1 } as never)).toThrow("column 'loss'");
    expect(() => curves.add({ epoch: 1, loss: 2, extra: 3 } as never)).toThrow("'extra'");
  });

  it('writes curves/<cell-id>.csv, the id made a valid file name', () => {
    expect(curvesFileName('mnist-dw3')).toBe('curves/mnist-dw3.csv');
    expect(curvesFileName('variant-mra+logexp')).toBe('curves/variant-mra-logexp.csv');
    expect(curvesFileName('none+opom-large+opom-small+ga')).toBe('curves/none-opom-large-opom-small-ga.csv');
    const { sink, files } = collectCellFiles('p', 'variant-mra+logexp', []);
    writeLossCurves(sink, 'variant-mra+logexp', [2, 1]);
    expect(files).toEqual({ 'curves/variant-mra-logexp.csv': 'epoch,loss\n1,2\n2,1\n' });
  });

  it('writes roc/<cell-id>.csv: the columns telling curves apart first, then far, achieved_far, tar, threshold', () => {
    const { sink, files } = collectCellFiles('p', 'variant-mra+logexp', []);
    const point = (far: number, tar: number, threshold: number) => ({ far, achievedFar: far / 2, tar, threshold });
    writeRocCurves(sink, 'variant-mra+logexp', [
      { series: { r: 16 }, points: [point(0.001, 0.25, 0.9), point(1, 1, -Infinity)] },
      { series: { r: 112 }, points: [point(0.001, 0.5, 0.8)] },
    ]);
    expect(files).toEqual({
      'roc/variant-mra-logexp.csv': 'r,far,achieved_far,tar,threshold\n16,0.001,0.0005,0.25,0.9\n16,1,0.5,1,-inf\n112,0.001,0.0005,0.5,0.8\n',
    });
  });
});
