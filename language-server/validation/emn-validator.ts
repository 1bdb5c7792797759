// Validation of .emn specs: the checks keyed by AST type (each topic in its own module, as Langium's examples split
// them), and the import checks, which need the workspace's documents.
import { AstUtils, URI, type AstNode, type LangiumDocuments, type ValidationAcceptor, type ValidationChecks } from 'langium';
import { relativePath, type ImportResolver } from '../references/import-resolver.js';
import type * as ast from '../generated/ast.js';
import type { EmnAstType } from '../generated/ast.js';
import type { EmnServices } from '../emn-module.js';
import { DiagnosticCodes } from './diagnostic-codes.js';
import { checkRank } from './study-checks.js';
import { checkArchitecture } from './architecture-checks.js';
import { checkDuplicateNames, checkDuplicateProperties, checkOperationKinds } from './declaration-checks.js';
import { checkExperiment } from './experiment-checks.js';
import { checkMatrixFile } from './graph-checks.js';
import {
    checkBinary,
    checkNumbers,
    checkPolynomialDegree,
    checkOptimizerOptionValue,
    checkOptimizerOptions,
    checkSweepValues,
    checkUniform,
    NUMBER_FIELDS,
} from './value-checks.js';

export function registerValidationChecks(services: EmnServices): void {
    const registry = services.validation.ValidationRegistry;
    const validator = services.validation.EmnValidator;
    const checks: ValidationChecks<EmnAstType> = {
        Spec: [checkDuplicateNames, validator.checkImports],
        Operation: [checkDuplicateProperties, checkOperationKinds, (op, accept) => checkRank(op, accept), checkMatrixFile],
        Network: [checkDuplicateProperties, checkArchitecture],
        Experiment: [checkDuplicateProperties, checkExperiment],
        UniformDistribution: checkUniform,
        BinaryDistribution: checkBinary,
        PolynomialKind: checkPolynomialDegree,
        SgdOptimizer: checkOptimizerOptions,
        AdamOptimizer: checkOptimizerOptions,
        OptimizerOption: checkOptimizerOptionValue,
        SweepAxis: checkSweepValues,
    };
    for (const [type, fields] of Object.entries(NUMBER_FIELDS)) {
        (checks as Record<string, unknown>)[type] = [
            ...[checks[type as keyof EmnAstType] ?? []].flat(),
            (node: AstNode, accept: ValidationAcceptor) => checkNumbers(node, fields, accept),
        ];
    }
    registry.register(checks, validator);
}

export class EmnValidator {
    protected readonly imports: ImportResolver;
    protected readonly documents: LangiumDocuments;

    constructor(services: EmnServices) {
        this.imports = services.references.ImportResolver;
        this.documents = services.shared.workspace.LangiumDocuments;
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
                error(
                    `imports go at the top of the file, before the first declaration: move \`import "${imp.path}"\` up`,
                    DiagnosticCodes.ImportNotAtTop,
                );
                continue;
            }
            const target = this.imports.resolveImport(document.uri, imp);
            if (!target) continue;
            if ('error' in target) {
                error(target.error);
                continue;
            }
            const key = target.uri.toString();
            if (key === document.uri.toString()) {
                error(`import "${imp.path}" is this file itself`);
                continue;
            }
            if (seen.has(key)) {
                error(`"${imp.path}" is imported twice; remove one`, DiagnosticCodes.DuplicateImport);
                continue;
            }
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
}
