// Loads .emn files (and their sibling .emn files, for cross-file references) into a Langium workspace and builds them.
import { URI, type LangiumDocument } from 'langium';
import { NodeFileSystem } from 'langium/node';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { createEmnServices, type EmnServices } from '../language-server/emn-module.js';

export interface LoadedSpecs {
    services: EmnServices;
    /** The documents asked for, in the order given. */
    documents: { path: string; document: LangiumDocument }[];
    /** Files that could not be read (missing, a directory, not .emn), with the reason. */
    unreadable: { path: string; reason: string }[];
}

/**
 * A parser crash (chevrotain's recovery overflowing the stack) needs no handling here: the
 * SafeLangiumDocumentFactory turns it into a parse error on its file and resets the parser.
 */
export async function loadSpecs(paths: string[]): Promise<LoadedSpecs> {
    const services = createEmnServices(NodeFileSystem).Emn;
    const docs = services.shared.workspace.LangiumDocuments;
    const requested: { path: string; document: LangiumDocument }[] = [];
    const unreadable: LoadedSpecs['unreadable'] = [];
    const seen = new Set<string>();
    const add = (file: string): LangiumDocument => {
        const abs = resolve(file);
        const uri = URI.file(abs);
        const existing = docs.getDocument(uri);
        if (existing) return existing;
        seen.add(abs);
        const doc = services.shared.workspace.LangiumDocumentFactory.fromString(readFileSync(abs, 'utf8'), uri);
        docs.addDocument(doc);
        return doc;
    };
    for (const path of paths) {
        try {
            if (statSync(path).isDirectory()) throw new Error('is a directory');
            // the language's services are registered for .emn only: another extension has no parser
            if (extname(path) !== '.emn') throw new Error('not an .emn file');
            requested.push({ path, document: add(path) });
        } catch (err) {
            unreadable.push({ path, reason: describeFsError(err) });
        }
    }
    // siblings make cross-file references resolve, as they do in an editor workspace
    for (const dir of new Set(requested.map(r => dirname(resolve(r.path))))) {
        for (const name of readdirSync(dir).filter(n => n.endsWith('.emn'))) {
            const abs = join(dir, name);
            if (!seen.has(abs)) { try { add(abs); } catch { /* an unreadable sibling only matters if asked for */ } }
        }
    }
    await services.shared.workspace.DocumentBuilder.build(docs.all.toArray(), { validation: true });
    return { services, documents: requested, unreadable };
}

export function describeFsError(err: unknown): string {
    const code = (err as NodeJS.ErrnoException)?.code;
    if (code === 'ENOENT') return 'no such file';
    if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
    if (code === 'EISDIR') return 'is a directory';
    return err instanceof Error ? err.message : String(err);
}
