// Validation of .emn specs: checks keyed by AST type, each with a precise range and a message saying what is allowed.
import { AstUtils, URI, type AstNode, type LangiumDocuments, type ValidationAcceptor, type ValidationChecks } from 'langium';
import { relativePath, type ImportResolver } from '../references/import-resolver.js';
import type * as ast from '../generated/ast.js';
import type { EmnAstType } from '../generated/ast.js';
import type { EmnServices } from '../emn-module.js';
import { ADAM_DEFAULTS, formatNumber, OPERATION_DEFAULTS, SGD_DEFAULTS } from '../../engine/view.js';
import { findProperty, resolveExperiment, resolveNetwork } from '../resolve-spec.js';
import { costWarnings, estimateCost, MAX_TRAINING_BYTES_PER_STEP, memoryRefusal } from '../../engine/index.js';
import { DiagnosticCodes, type ReplacementData } from './diagnostic-codes.js';
import { checkRank, checkSweptPower, checkSweptRank } from './study-checks.js';
import { checkSweepAxis } from './sweep-values.js';
import { checkSizes } from './size-checks.js';
import { IGNORED_UNDER_META_EPOCHS, isAsciiName, KIND_TYPES, NAME_RULE, OPTIMIZER_OPTIONS, REPEATABLE } from '../language-facts.js';
import { nonNegativeInteger, positiveInteger, seedCount, positiveReal, rangeMessage, unitInterval, type ValueRule } from './value-rules.js';

export function registerValidationChecks(services: EmnServices): void {
    const registry = services.validation.ValidationRegistry;
    const validator = services.validation.EmnValidator;
    const checks: ValidationChecks<EmnAstType> = {
        Spec: [validator.checkDuplicateNames, validator.checkImports],
        Operation: [validator.checkDuplicateProperties, validator.checkOperationKinds, (op, accept) => checkRank(op, accept)],
        Network: validator.checkDuplicateProperties,
        Experiment: [validator.checkDuplicateProperties, validator.checkExperiment],
        UniformDistribution: validator.checkUniform,
        BinaryDistribution: validator.checkBinary,
        SgdOptimizer: validator.checkOptimizerOptions,
        AdamOptimizer: validator.checkOptimizerOptions,
        OptimizerOption: validator.checkOptimizerOptionValue,
        SweepAxis: validator.checkSweepValues,
    };
    for (const [type, fields] of Object.entries(NUMBER_FIELDS)) {
        (checks as Record<string, unknown>)[type] = [
            ...[checks[type as keyof EmnAstType] ?? []].flat(),
            (node: AstNode, accept: ValidationAcceptor) => validator.checkNumbers(node, fields, accept),
        ];
    }
    registry.register(checks, validator);
}

interface NumberField { property: string; label: string; rule: ValueRule }

/** Numbers of the grammar and their allowed ranges, by AST type (optimiser options and sweeps are checked by name). */
const NUMBER_FIELDS: Partial<Record<keyof EmnAstType, NumberField[]>> = {
    PowerKind: [{ property: 'order', label: 'power order', rule: positiveInteger }],
    SizeProperty: [{ property: 'value', label: 'size', rule: positiveInteger }],
    RankProperty: [{ property: 'value', label: 'rank', rule: positiveInteger }],
    SparsityProperty: [{ property: 'value', label: 'sparsity', rule: unitInterval }],
    NormalDistribution: [{ property: 'std', label: 'sigma (the standard deviation of normal(mu, sigma))', rule: positiveReal(1) }],
    WidthProperty: [{ property: 'value', label: 'width', rule: positiveInteger }],
    DepthProperty: [{ property: 'value', label: 'depth', rule: positiveInteger }],
    MaskingProperty: [{ property: 'value', label: 'masking', rule: positiveInteger }],
    BatchProperty: [{ property: 'value', label: 'batch', rule: positiveInteger }],
    StepsProperty: [{ property: 'value', label: 'steps', rule: positiveInteger }],
    StopProperty: [{ property: 'threshold', label: 'the stop threshold', rule: positiveReal(1e-6) }],
    MetaEpochSchedule: [
        { property: 'metaEpochs', label: 'metaEpochs', rule: positiveInteger },
        { property: 'masks', label: 'masks', rule: positiveInteger },
        { property: 'stepsPerMask', label: 'steps per mask', rule: positiveInteger },
    ],
    SeedProperty: [{ property: 'value', label: 'seed', rule: nonNegativeInteger }],
    SeedsProperty: [{ property: 'value', label: 'seeds', rule: seedCount }],
    PoolProperty: [{ property: 'value', label: 'pool', rule: positiveInteger }],
    EvaluateProperty: [{ property: 'samples', label: 'evaluate samples', rule: positiveInteger }],
};

/** Ranges of the optimiser options (same rules whatever the optimiser). */
const OPTION_RULES: Record<ast.OptimizerOptionName, ValueRule> = {
    lr: positiveReal(SGD_DEFAULTS.lr),
    momentum: unitInterval,
    beta1: unitInterval,
    beta2: unitInterval,
    epsilon: positiveReal(ADAM_DEFAULTS.epsilon),
};

/** The keyword a property starts with, for messages ("size", "entries", ...). */
function propertyKeyword(node: AstNode): string {
    return node.$cstNode?.text.match(/^[A-Za-z]\w*/)?.[0] ?? node.$type;
}

/** Where `first` is, said from `second`'s point of view: "line 4", or "line 4, column 15" when both share a line. */
function where(first: AstNode, second: AstNode): string {
    const a = first.$cstNode?.range.start, b = second.$cstNode?.range.start;
    if (!a) return 'line 1';
    return a.line === b?.line ? `line ${a.line + 1}, column ${a.character + 1}` : `line ${a.line + 1}`;
}

function rangeData(rule: ValueRule, value: number): ReplacementData {
    return { code: DiagnosticCodes.ValueRange, replacement: formatNumber(rule.nearest(value)) };
}

/** The order of interaction an operation needs: k for power k, the degree for a polynomial, 1 for matvec. */
function requiredMasking(op: ast.Operation): number | undefined {
    const kind = op.properties.find(p => KIND_TYPES.has(p.$type));
    if (!kind || kind.$type === 'MatvecKind') return 1;
    if (kind.$type === 'PowerKind') return Number.isInteger(kind.order) && kind.order >= 1 ? kind.order : undefined;
    if (kind.$type === 'PolynomialKind') {
        let degree = kind.coefficients.length - 1;
        while (degree > 0 && kind.coefficients[degree] === 0) degree--;
        return degree;
    }
    return undefined;
}

/** Whether the parser reported an error inside the node's text (its content may then be partial). */
function hasSyntaxErrorIn(node: AstNode): boolean {
    const cst = node.$cstNode;
    if (!cst) return true;
    const parseResult = AstUtils.getDocument(node).parseResult;
    return parseResult.parserErrors.some(e => e.token.startOffset >= cst.offset && e.token.startOffset <= cst.end)
        || parseResult.lexerErrors.some(e => e.offset >= cst.offset && e.offset <= cst.end);
}

/** Whether the parser reported an error on the line where the node starts. */
function syntaxErrorOnLineOf(node: AstNode): boolean {
    const line = node.$cstNode?.range.start.line;
    if (line === undefined) return false;
    return AstUtils.getDocument(node).parseResult.parserErrors.some(e => e.token.startLine === line + 1);
}

export class EmnValidator {
    protected readonly imports: ImportResolver;
    protected readonly documents: LangiumDocuments;

    constructor(services: EmnServices) {
        this.imports = services.references.ImportResolver;
        this.documents = services.shared.workspace.LangiumDocuments;
    }

    checkNumbers(node: AstNode, fields: NumberField[], accept: ValidationAcceptor): void {
        for (const field of fields) {
            const value = (node as unknown as Record<string, unknown>)[field.property];
            if (typeof value === 'number' && !field.rule.allows(value)) {
                accept('error', rangeMessage(field.label, field.rule, value), {
                    node, property: field.property, code: DiagnosticCodes.ValueRange, data: rangeData(field.rule, value),
                });
            }
        }
    }

    checkUniform(dist: ast.UniformDistribution, accept: ValidationAcceptor): void {
        if (typeof dist.low !== 'number' || typeof dist.high !== 'number') return; // incomplete: a syntax error says so
        if (!(dist.low < dist.high)) {
            const data: ReplacementData = { code: DiagnosticCodes.UniformBounds };
            if (dist.low > dist.high) data.replacement = `uniform(${formatNumber(dist.high)}, ${formatNumber(dist.low)})`;
            accept('error', `uniform(a, b) needs a < b; got uniform(${formatNumber(dist.low)}, ${formatNumber(dist.high)})`, {
                node: dist, code: DiagnosticCodes.UniformBounds, data,
            });
        }
    }

    checkBinary(dist: ast.BinaryDistribution, accept: ValidationAcceptor): void {
        if (dist.$container.$type === 'VectorsProperty') {
            const v = OPERATION_DEFAULTS.vectors;
            const replacement = v.kind === 'uniform' ? `uniform(${v.low}, ${v.high})` : undefined;
            accept('error', 'binary is only for entries (the non-zero entries of A); vectors take uniform(a, b) or normal(mu, sigma)', {
                node: dist, code: DiagnosticCodes.BinaryVectors, data: { code: DiagnosticCodes.BinaryVectors, replacement } satisfies ReplacementData,
            });
        }
    }

    checkOptimizerOptions(opt: ast.Optimizer, accept: ValidationAcceptor): void {
        const { name, options } = OPTIMIZER_OPTIONS[opt.$type];
        const seen = new Map<string, ast.OptimizerOption>();
        for (const option of opt.options) {
            if (!option.name) continue; // partial parse
            if (!options.includes(option.name)) {
                const other = opt.$type === 'SgdOptimizer' ? 'adam' : 'sgd';
                accept('error', `${option.name} is not an option of ${name} (it belongs to ${other}); ${name} takes ${options.join(', ')}`, {
                    node: option, property: 'name', code: DiagnosticCodes.OptionForOtherOptimizer,
                    data: { code: DiagnosticCodes.OptionForOtherOptimizer } satisfies ReplacementData,
                });
            }
            const first = seen.get(option.name);
            if (first) {
                accept('error', `${option.name} is given twice; the first is on ${where(first, option)}`, {
                    node: option, property: 'name', code: DiagnosticCodes.DuplicateOption,
                    data: { code: DiagnosticCodes.DuplicateOption } satisfies ReplacementData,
                });
            } else {
                seen.set(option.name, option);
            }
        }
    }

    checkOptimizerOptionValue(option: ast.OptimizerOption, accept: ValidationAcceptor): void {
        const rule = OPTION_RULES[option.name];
        if (rule && typeof option.value === 'number' && !rule.allows(option.value)) {
            accept('error', rangeMessage(option.name, rule, option.value), {
                node: option, property: 'value', code: DiagnosticCodes.ValueRange, data: rangeData(rule, option.value),
            });
        }
    }

    checkSweepValues(axis: ast.SweepAxis, accept: ValidationAcceptor): void {
        checkSweepAxis(axis, accept);
    }

    checkDuplicateProperties(decl: ast.Operation | ast.Network | ast.Experiment, accept: ValidationAcceptor): void {
        const first = new Map<string, AstNode>();
        for (const prop of decl.properties as AstNode[]) {
            // the kinds are one property (matvec | power | polynomial), checked by checkOperationKinds
            if (REPEATABLE.has(prop.$type) || KIND_TYPES.has(prop.$type)) continue;
            // on a line with a syntax error a "property" may be the recovery's reading of debris (`steps` of a misspelt schedule)
            if (syntaxErrorOnLineOf(prop)) continue;
            const earlier = first.get(prop.$type);
            if (earlier) {
                const keyword = propertyKeyword(prop);
                accept('error', `${keyword} is set twice in ${nameOf(decl)}; the first is on ${where(earlier, prop)} (remove one)`, {
                    node: prop, code: DiagnosticCodes.DuplicateProperty,
                    data: { code: DiagnosticCodes.DuplicateProperty } satisfies ReplacementData,
                });
            } else {
                first.set(prop.$type, prop);
            }
        }
    }

    checkOperationKinds(op: ast.Operation, accept: ValidationAcceptor): void {
        const kinds = op.properties.filter(p => KIND_TYPES.has(p.$type));
        for (const kind of kinds.slice(1)) {
            accept('error', `an operation has one kind (matvec, power k or polynomial [...]); ${nameOf(op)} already has ${propertyKeyword(kinds[0])} on ${where(kinds[0], kind)}`, {
                node: kind, code: DiagnosticCodes.MultipleKinds,
                data: { code: DiagnosticCodes.MultipleKinds } satisfies ReplacementData,
            });
        }
    }

    /** Each file is its own namespace: a name declared twice in it is an error; a name must be ASCII. */
    checkDuplicateNames(spec: ast.Spec, accept: ValidationAcceptor): void {
        const first = new Map<string, ast.Declaration>();
        for (const decl of spec.declarations) {
            if (!decl.name) continue;
            if (!isAsciiName(decl.name)) {
                accept('error', `${decl.name} is not a valid name. ${NAME_RULE}`, {
                    node: decl, property: 'name', code: DiagnosticCodes.InvalidName,
                    data: { code: DiagnosticCodes.InvalidName } satisfies ReplacementData,
                });
            }
            const earlier = first.get(decl.name);
            if (earlier) {
                accept('error', `${decl.name} is already declared on ${where(earlier, decl)}; rename one (names are per file)`, {
                    node: decl, property: 'name', code: DiagnosticCodes.DuplicateName,
                    data: { code: DiagnosticCodes.DuplicateName } satisfies ReplacementData,
                });
                continue;
            }
            first.set(decl.name, decl);
        }
    }

    /** Imports come first, resolve inside the workspace folder, and form no cycle. */
    checkImports(spec: ast.Spec, accept: ValidationAcceptor): void {
        const document = AstUtils.getDocument(spec);
        const firstDeclaration = spec.declarations[0]?.$cstNode?.offset ?? Infinity;
        const seen = new Set<string>();
        for (const imp of spec.imports) {
            if (typeof imp.path !== 'string') continue; // partial parse: a syntax error says so
            const error = (message: string, code: string = DiagnosticCodes.ImportError) =>
                accept('error', message, { node: imp, property: 'path', code, data: { code } });
            if ((imp.$cstNode?.offset ?? 0) > firstDeclaration) {
                error(`imports go at the top of the file, before the first declaration: move \`import "${imp.path}"\` up`, DiagnosticCodes.ImportNotAtTop);
                continue;
            }
            const target = this.imports.resolveImport(document.uri, imp);
            if (!target) continue;
            if ('error' in target) { error(target.error); continue; }
            const key = target.uri.toString();
            if (key === document.uri.toString()) { error(`import "${imp.path}" is this file itself`); continue; }
            if (seen.has(key)) { error(`"${imp.path}" is imported twice; remove one`, DiagnosticCodes.DuplicateImport); continue; }
            seen.add(key);
            const cycle = this.importCycle(document.uri.toString(), key);
            if (cycle) {
                const names = [document.uri, ...cycle].map(u => relativePath(document.uri, typeof u === 'string' ? URI.parse(u) : u));
                error(`import cycle: ${names.join(' imports ')}; an imported file cannot import this one back`);
            }
        }
    }

    /** The chain of imports from `start` back to `origin`, if there is one (depth-first over loaded documents). */
    protected importCycle(origin: string, start: string): string[] | undefined {
        const visited = new Set<string>();
        const walk = (uri: string, chain: string[]): string[] | undefined => {
            if (uri === origin) return chain;
            if (visited.has(uri)) return undefined;
            visited.add(uri);
            const doc = this.documents.getDocument(URI.parse(uri));
            if (!doc) return undefined;
            for (const next of this.imports.importedUris(doc)) {
                const found = walk(next.toString(), [...chain, next.toString()]);
                if (found) return found;
            }
            return undefined;
        };
        return walk(start, [start]);
    }

    checkExperiment(exp: ast.Experiment, accept: ValidationAcceptor): void {
        const learn = findProperty(exp.properties, 'LearnProperty');
        // a syntax error inside the block may have swallowed `learn`, or the name (a keyword): that error is the one to fix
        if (!learn && !hasSyntaxErrorIn(exp) && exp.name) {
            accept('error', `experiment ${exp.name} needs \`learn Op with Net\`: the operation to learn and the network that learns it`, {
                node: exp, property: 'name', code: DiagnosticCodes.MissingLearn,
                data: { code: DiagnosticCodes.MissingLearn } satisfies ReplacementData,
            });
        }
        const axes = exp.properties.filter((p): p is ast.SweepProperty => p.$type === 'SweepProperty').flatMap(s => s.axes);
        const sweptFirst = new Map<string, ast.SweepAxis>();
        for (const axis of axes) {
            const earlier = sweptFirst.get(axis.parameter);
            if (earlier) {
                accept('error', `${axis.parameter} is swept twice; the first is on ${where(earlier, axis)} (put all values in one list)`, {
                    node: axis, property: 'parameter', code: DiagnosticCodes.DuplicateSweepParameter,
                    data: { code: DiagnosticCodes.DuplicateSweepParameter } satisfies ReplacementData,
                });
            } else {
                sweptFirst.set(axis.parameter, axis);
            }
        }
        const seeds = findProperty(exp.properties, 'SeedsProperty');
        const seedAxis = sweptFirst.get('seed');
        if (seeds && seedAxis) {
            accept('error', `seeds ${seeds.value} and sweep seed both choose the seeds; keep one (seeds N derives N seeds from seed)`, {
                node: seeds, property: 'value',
            });
        }
        this.checkPoolEvaluations(exp, accept);
        this.checkIgnoredUnderMetaEpochs(exp, axes, accept);
        // while typing, `learn` may lack either reference (a syntax error says so)
        const opNode = learn?.operation?.ref;
        const netNode = learn?.network?.ref;
        if (!learn || !opNode) return;
        checkSweptPower(opNode, sweptFirst.get('power'), accept);
        checkSweptRank(opNode, sweptFirst.get('rank'), accept);
        if (!netNode) return;
        checkSizes(exp, opNode, netNode, accept);
        // a swept power is the litmus: points whose masking is below their power are its purpose, not a mistake
        if (!sweptFirst.has('power')) this.checkMaskingOrder(learn, opNode, netNode, sweptFirst.get('masking'), accept);
        this.checkCost(exp, accept);
    }

    /** `steps`, `pool` and their sweeps do nothing under `schedule metaEpochs`: say so where they are written. */
    protected checkIgnoredUnderMetaEpochs(exp: ast.Experiment, axes: ast.SweepAxis[], accept: ValidationAcceptor): void {
        if (findProperty(exp.properties, 'ScheduleProperty')?.schedule?.$type !== 'MetaEpochSchedule') return;
        const data = { code: DiagnosticCodes.IgnoredUnderMetaEpochs } satisfies ReplacementData;
        for (const prop of exp.properties) {
            const keyword = prop.$type === 'StepsProperty' ? 'steps' : prop.$type === 'PoolProperty' ? 'pool' : undefined;
            if (keyword) {
                accept('warning', `${keyword} is ignored under schedule metaEpochs: ${IGNORED_UNDER_META_EPOCHS[keyword]}`, {
                    node: prop, code: DiagnosticCodes.IgnoredUnderMetaEpochs, data,
                });
            }
        }
        for (const axis of axes) {
            if (axis.parameter === 'steps' || axis.parameter === 'pool') {
                accept('warning', `sweeping ${axis.parameter} under schedule metaEpochs trains identical points: ${IGNORED_UNDER_META_EPOCHS[axis.parameter]} (sweep it in a joint experiment)`, {
                    node: axis, code: DiagnosticCodes.IgnoredUnderMetaEpochs, data,
                });
            }
        }
    }

    protected checkPoolEvaluations(exp: ast.Experiment, accept: ValidationAcceptor): void {
        const hasPool = !!findProperty(exp.properties, 'PoolProperty')
            || findProperty(exp.properties, 'ScheduleProperty')?.schedule?.$type === 'MetaEpochSchedule'
            || exp.properties.some(p => p.$type === 'SweepProperty' && p.axes.some(a => a.parameter === 'pool'));
        if (hasPool) return;
        for (const ev of exp.properties) {
            if (ev.$type === 'EvaluateProperty' && ev.pool) {
                accept('error', 'evaluate on pool needs a training pool: add `pool K` or use `schedule metaEpochs M masks K steps E`', {
                    node: ev, property: 'pool', code: DiagnosticCodes.PoolMissing,
                    data: { code: DiagnosticCodes.PoolMissing } satisfies ReplacementData,
                });
            }
        }
    }

    protected checkMaskingOrder(learn: ast.LearnProperty, op: ast.Operation, net: ast.Network, maskingAxis: ast.SweepAxis | undefined,
        accept: ValidationAcceptor): void {
        const k = requiredMasking(op);
        if (k === undefined || k <= 1) return;
        const what = findProperty(op.properties, 'PowerKind') ? `power ${k}` : `a polynomial of degree ${k}`;
        const message = (masking: number) =>
            `${what} (${nameOf(op)}) cannot be represented exactly with masking ${masking}: expect an error floor; use masking ${k}`;
        const data = { code: DiagnosticCodes.MaskingBelowOrder } satisfies ReplacementData;
        if (maskingAxis) {
            maskingAxis.values.forEach((m, index) => {
                if (Number.isInteger(m) && m >= 1 && m < k) {
                    accept('warning', message(m), { node: maskingAxis, property: 'values', index, code: DiagnosticCodes.MaskingBelowOrder, data });
                }
            });
            return;
        }
        const masking = resolveNetwork(net).masking;
        if (Number.isInteger(masking) && masking >= 1 && masking < k) {
            accept('warning', message(masking), { node: learn, property: 'network', code: DiagnosticCodes.MaskingBelowOrder, data });
        }
    }

    /** Beyond the training limit an error (train refuses it alike), below it a warning about the time; one message each. */
    protected checkCost(exp: ast.Experiment, accept: ValidationAcceptor): void {
        // a block still being typed (an empty sweep list) has no estimate yet; its syntax error is the message
        const spec = hasSyntaxErrorIn(exp) ? undefined : resolveExperiment(exp);
        if (!spec) return;
        const cost = estimateCost(spec);
        const refusal = memoryRefusal(spec, MAX_TRAINING_BYTES_PER_STEP, cost);
        if (refusal) {
            accept('error', `${experimentName(exp)} cannot train: ${refusal}`, {
                node: exp, property: 'name', code: DiagnosticCodes.TooBigToTrain,
                data: { code: DiagnosticCodes.TooBigToTrain } satisfies ReplacementData,
            });
            return;
        }
        for (const warning of costWarnings(cost)) {
            accept('warning', `${experimentName(exp)} ${warning}`, {
                node: exp, property: 'name', code: DiagnosticCodes.TooExpensive,
                data: { code: DiagnosticCodes.TooExpensive } satisfies ReplacementData,
            });
        }
    }
}

/** A declaration's name in a message; a declaration whose name is missing (a keyword there: a syntax error) is "this operation". */
function nameOf(decl: ast.Declaration): string {
    return decl.name || `this ${decl.$type.toLowerCase()}`;
}

/** "experiment Paper", or "this experiment" when its name is missing. */
function experimentName(exp: ast.Experiment): string {
    return exp.name ? `experiment ${exp.name}` : 'this experiment';
}
