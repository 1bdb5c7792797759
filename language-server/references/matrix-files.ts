// Reads the Matrix Market files operations name (`matrix "graphs/karate.mtx"`), confined like imports, each time a spec is
// built, and knows which specs use which file (an edited .mtx rebuilds them: emn-document-builder.ts).
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { DocumentState, type LangiumDocument, URI } from 'langium';
import { parseMatrixMarket, type MatrixFileSpec } from '../../engine/index.js';
import type * as ast from '../generated/ast.js';
import type { EmnServices } from '../emn-module.js';
import type { FileKind, ImportResolver } from './import-resolver.js';

const MATRIX_FILES: FileKind = {
    keyword: 'matrix',
    article: 'a matrix file',
    example: 'graphs/karate.mtx',
    nested: 'data/graph.mtx',
    extension: '.mtx',
    used: 'read as a matrix (Matrix Market)',
    noun: 'a .mtx file',
};

/** Above this a file is refused unread: the network it would train has n² w weights per layer anyway. */
const MAX_MATRIX_FILE_BYTES = 64 * 2 ** 20;

/** What each `matrix "..."` of a built spec read (the AST node is new after every parse, so this never goes stale). */
const loaded = new WeakMap<ast.MatrixProperty, MatrixFileSpec>();

/** The file a `matrix` property names as it was read when its spec was built. */
export function matrixFileOf(property: ast.MatrixProperty): MatrixFileSpec {
    return loaded.get(property) ?? { file: property.file, error: 'the file has not been read (the spec was not built)' };
}

/** Whether a URI names a Matrix Market file. */
export function isMatrixUri(uri: URI): boolean {
    return uri.path.toLowerCase().endsWith('.mtx');
}

export class MatrixFiles {
    private readonly imports: ImportResolver;
    /** Parsed files by path, with the modification time and size they were read at. */
    private readonly cache = new Map<string, { stamp: string; read: Omit<MatrixFileSpec, 'file'> }>();
    /** The matrix files (paths) each spec document used when last built. */
    private readonly users = new Map<string, Set<string>>();

    constructor(services: EmnServices) {
        this.imports = services.references.ImportResolver;
    }

    /** Reads every matrix file `document` names (registered for the build phase after parsing). */
    readFor(document: LangiumDocument): void {
        const spec = document.parseResult?.value as ast.Spec | undefined;
        const used = new Set<string>();
        for (const declaration of spec?.declarations ?? []) {
            if (declaration.$type !== 'Operation') continue;
            for (const property of declaration.properties) {
                if (property.$type !== 'MatrixProperty' || typeof property.file !== 'string') continue;
                const target = this.imports.resolveInside(document.uri, property.file, MATRIX_FILES);
                if ('error' in target) {
                    loaded.set(property, { file: property.file, error: target.error });
                    continue;
                }
                used.add(target.uri.fsPath);
                const read = this.read(target.uri);
                // the message names the file, its line and what is wrong
                loaded.set(property, {
                    file: property.file,
                    ...read,
                    ...(read.error ? { error: `matrix "${property.file}": ${read.error}` } : {}),
                });
            }
        }
        this.users.set(document.uri.toString(), used);
    }

    /** The spec documents that used any of these files when last built (forgetting what was read from them). */
    usersOf(files: readonly URI[]): URI[] {
        const paths = new Set(files.map(f => f.fsPath));
        for (const path of paths) this.cache.delete(path);
        return [...this.users].filter(([, used]) => [...used].some(p => paths.has(p))).map(([uri]) => URI.parse(uri));
    }

    private read(uri: URI): Omit<MatrixFileSpec, 'file'> {
        const path = uri.fsPath;
        let stamp: string;
        try {
            const stat = statSync(path);
            if (stat.size > MAX_MATRIX_FILE_BYTES) {
                return { error: `the file is ${(stat.size / 2 ** 20).toFixed(0)} MB; a matrix file may be at most 64 MB` };
            }
            stamp = `${stat.mtimeMs} ${stat.size}`;
        } catch {
            return { error: 'the file cannot be read' };
        }
        const cached = this.cache.get(path);
        if (cached?.stamp === stamp) return cached.read;
        let read: Omit<MatrixFileSpec, 'file'>;
        try {
            const bytes = readFileSync(path);
            const parsed = parseMatrixMarket(bytes.toString('utf8'));
            read =
                'error' in parsed
                    ? { error: `line ${parsed.error.line}: ${parsed.error.message}` }
                    : { matrix: parsed.file.matrix, sha256: createHash('sha256').update(bytes).digest('hex') };
        } catch {
            read = { error: 'the file cannot be read' };
        }
        this.cache.set(path, { stamp, read });
        return read;
    }
}

/** Reads a spec's matrix files once it is parsed (before linking and validation need them). */
export function registerMatrixFiles(services: EmnServices): void {
    const files = services.references.MatrixFiles;
    services.shared.workspace.DocumentBuilder.onDocumentPhase(DocumentState.IndexedContent, document => {
        if (document.uri.path.endsWith('.emn')) files.readFor(document);
    });
}
