// Loads .emn files (and the files they import, transitively) into a Langium workspace and builds them.
import { URI, type LangiumDocument } from 'langium';
import { NodeFileSystem } from 'langium/node';
import { readFileSync, statSync } from 'node:fs';
import { extname, relative, resolve } from 'node:path';
import type { Spec } from '../language-server/generated/ast.js';
import { createEmnServices, type EmnServices } from '../language-server/emn-module.js';
import { errorMessage } from '../engine/view.js';

export interface LoadedSpecs {
    services: EmnServices;
    /** The documents asked for, in the order given. */
    documents: { path: string; document: LangiumDocument }[];
    /**
     * The files loaded because a document imports them (transitively) and not asked for, in import order, by their path from the current
     * directory.
     */
    imported: { path: string; document: LangiumDocument }[];
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
    const add = (file: string): LangiumDocument => {
        const abs = resolve(file);
        const uri = URI.file(abs);
        const existing = docs.getDocument(uri);
        if (existing) return existing;
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
    // imports resolve as in an editor whose workspace folder is the current directory; each file is
    // its own namespace, so loading more files never changes another file's diagnostics
    const imports = services.references.ImportResolver;
    imports.fallbackRoots = [URI.file(process.cwd())];
    const imported: LoadedSpecs['imported'] = [];
    const pending = requested.map(r => r.document);
    for (let next = 0; next < pending.length; next++) {
        const doc = pending[next];
        for (const imp of (doc.parseResult.value as Spec).imports ?? []) {
            const target = imports.resolveImport(doc.uri, imp);
            if (!target || !('uri' in target) || docs.hasDocument(target.uri)) continue;
            // an unreadable import is reported at its string by the validator
            try {
                const document = add(target.uri.fsPath);
                imported.push({ path: relative(process.cwd(), target.uri.fsPath), document });
                pending.push(document);
            } catch {
                /* see above */
            }
        }
    }
    await services.shared.workspace.DocumentBuilder.build(docs.all.toArray(), { validation: true });
    return { services, documents: requested, imported, unreadable };
}

export function describeFsError(err: unknown): string {
    const code = (err as NodeJS.ErrnoException)?.code;
    if (code === 'ENOENT') return 'no such file';
    if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
    if (code === 'EISDIR') return 'is a directory';
    return errorMessage(err);
}
