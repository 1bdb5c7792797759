// Loads .emn files (and their sibling .emn files, for cross-file references) into a Langium workspace and builds them.
import { URI, type LangiumDocument } from 'langium';
import { NodeFileSystem } from 'langium/node';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createEmnServices, type EmnServices } from '../language-server/emn-module.js';

export interface LoadedSpecs {
    services: EmnServices;
    /** The documents asked for, in the order given. */
    documents: { path: string; document: LangiumDocument }[];
    /** Files that could not be read (or, stage 'parse', whose parse threw, e.g. a stack overflow), with the reason. */
    unreadable: { path: string; reason: string; stage?: 'read' | 'parse' }[];
}

export async function loadSpecs(paths: string[]): Promise<LoadedSpecs> {
    // a parser that threw keeps half-built nodes and corrupts every later parse: start over with fresh services
    // and without the failing file (at most once per file)
    const parseFailures = new Map<string, string>();
    for (;;) {
        try {
            return await loadOnce(paths, parseFailures);
        } catch (err) {
            if (!(err instanceof ParseFailure) || parseFailures.has(err.file)) throw err;
            parseFailures.set(err.file, err.message);
        }
    }
}

async function loadOnce(paths: string[], parseFailures: ReadonlyMap<string, string>): Promise<LoadedSpecs> {
    const services = createEmnServices(NodeFileSystem).Emn;
    const docs = services.shared.workspace.LangiumDocuments;
    const requested: { path: string; document: LangiumDocument }[] = [];
    const unreadable: LoadedSpecs['unreadable'] = [];
    const seen = new Set<string>();
    const add = (file: string): LangiumDocument | undefined => {
        const abs = resolve(file);
        const uri = URI.file(abs);
        const existing = docs.getDocument(uri);
        if (existing) return existing;
        seen.add(abs);
        if (parseFailures.has(abs)) return undefined;
        const text = readFileSync(abs, 'utf8');
        let doc: LangiumDocument;
        try {
            // fromString parses right away; a parser failure is not a file-system error
            doc = services.shared.workspace.LangiumDocumentFactory.fromString(text, uri);
        } catch (err) {
            throw new ParseFailure(abs, err);
        }
        docs.addDocument(doc);
        return doc;
    };
    for (const path of paths) {
        let document: LangiumDocument | undefined;
        try {
            if (statSync(path).isDirectory()) throw new Error('is a directory');
            document = add(path);
        } catch (err) {
            if (err instanceof ParseFailure) throw err;
            unreadable.push({ path, reason: describeFsError(err), stage: 'read' });
            continue;
        }
        if (document) requested.push({ path, document });
        else unreadable.push({ path, reason: parseFailures.get(resolve(path))!, stage: 'parse' });
    }
    // siblings make cross-file references resolve, as they do in an editor workspace
    for (const dir of new Set(requested.map(r => dirname(resolve(r.path))))) {
        for (const name of readdirSync(dir).filter(n => n.endsWith('.emn'))) {
            const abs = join(dir, name);
            if (seen.has(abs)) continue;
            try {
                add(abs);
            } catch (err) {
                // an unreadable sibling only matters if asked for; a parse failure poisons the parser (see loadSpecs)
                if (err instanceof ParseFailure) throw err;
            }
        }
    }
    await services.shared.workspace.DocumentBuilder.build(docs.all.toArray(), { validation: true });
    return { services, documents: requested, unreadable };
}

/** The parser threw (chevrotain's error recovery overflows the stack on ~1500 errors in one block). */
class ParseFailure extends Error {
    constructor(readonly file: string, cause: unknown) {
        super(`the parser failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    }
}

export function describeFsError(err: unknown): string {
    const code = (err as NodeJS.ErrnoException)?.code;
    if (code === 'ENOENT') return 'no such file';
    if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
    if (code === 'EISDIR') return 'is a directory';
    return err instanceof Error ? err.message : String(err);
}
