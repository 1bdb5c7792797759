// Checks of real graphs as fixed operators: the matrix file (read, its size), what does not apply to a fixed A, `normalize`.
import type { ValidationAcceptor } from 'langium';
import type * as ast from '../generated/ast.js';
import { findProperty } from '../resolve-spec.js';
import { matrixFileOf } from '../references/matrix-files.js';
import { isSymmetric, normalizeSparse } from '../../engine/index.js';

/** Operation properties that describe how A is drawn, which a matrix file replaces. */
const DRAWN_PROPERTIES = { SparsityProperty: 'sparsity', EntriesProperty: 'entries', RankProperty: 'rank' } as const;

/** The matrix file of an operation, when it names one. */
function matrixOf(op: ast.Operation) {
    const property = findProperty(op.properties, 'MatrixProperty');
    return property && typeof property.file === 'string' ? { property, read: matrixFileOf(property) } : undefined;
}

/** A matrix file that cannot be read, a `size` that disagrees with it, properties it replaces, and `normalize`. */
export function checkMatrixFile(op: ast.Operation, accept: ValidationAcceptor): void {
    const file = matrixOf(op);
    const normalize = findProperty(op.properties, 'NormalizeProperty');
    if (!file) {
        if (normalize?.mode === 'symmetric') {
            accept(
                'error',
                'normalize symmetric needs a symmetric A, and a randomly drawn A is not: use normalize rows, or a symmetric matrix file',
                {
                    node: normalize,
                    property: 'mode',
                },
            );
        }
        return;
    }
    const { property, read } = file;
    if (read.error || !read.matrix) {
        accept('error', read.error ?? `matrix "${property.file}" was not read`, { node: property, property: 'file' });
    }
    for (const prop of op.properties) {
        const keyword = DRAWN_PROPERTIES[prop.$type as keyof typeof DRAWN_PROPERTIES];
        if (keyword) {
            accept(
                'error',
                `${keyword} does not apply with a matrix file: A is "${property.file}" itself, the same for every sample (remove ${keyword})`,
                {
                    node: prop,
                },
            );
        }
    }
    const matrix = read.matrix;
    if (!matrix) return;
    const size = findProperty(op.properties, 'SizeProperty');
    if (size && size.value !== matrix.n) {
        accept(
            'error',
            `size ${size.value} disagrees with the matrix file: "${property.file}" is ${matrix.n} x ${matrix.n} (remove size: it comes from the file)`,
            {
                node: size,
                property: 'value',
            },
        );
    }
    if (normalize && normalize.mode !== 'none') {
        const result = normalizeSparse(matrix, normalize.mode);
        if ('error' in result) {
            const which = normalize.mode === 'symmetric' && !isSymmetric(matrix) ? ` ("${property.file}" is not symmetric)` : '';
            accept('error', result.error + which, { node: normalize, property: 'mode' });
        }
    }
}

/**
 * An experiment learning (or evaluating on) an operation with a matrix file: `pool` and the sweeps of how A is drawn
 * have nothing to vary, and `at sizes` cannot resize a file.
 */
export function checkFixedMatrixExperiment(exp: ast.Experiment, learned: ast.Operation, accept: ValidationAcceptor): void {
    const fixedBecause = (op: ast.Operation) => {
        const f = matrixOf(op);
        return f ? `${op.name}'s A is the file "${f.property.file}"` : undefined;
    };
    const because = fixedBecause(learned);
    for (const prop of exp.properties) {
        if (because && prop.$type === 'PoolProperty') {
            accept('error', `pool does not apply: ${because}, the same for every sample (remove pool)`, { node: prop });
        }
        if (because && prop.$type === 'SweepProperty') {
            for (const axis of prop.axes) {
                if (['size', 'sparsity', 'rank', 'pool'].includes(axis.parameter)) {
                    accept('error', `sweep ${axis.parameter} has nothing to vary: ${because}, the same for every sample`, {
                        node: axis,
                        property: 'parameter',
                    });
                }
            }
        }
        if (prop.$type === 'EvaluateProperty' && !prop.pool && prop.sizes.length > 0) {
            const on = prop.operation?.ref ?? learned;
            const reason = fixedBecause(on);
            if (reason) {
                accept('error', `evaluating at other sizes resizes A, but ${reason}, of one size: evaluate on another operation instead`, {
                    node: prop,
                    property: 'sizes',
                    index: 0,
                });
            }
        }
    }
}
