// Resolves `import "path"` to a file: relative to the importing file, inside its workspace folder only (symlinks resolved first).
import { URI, UriUtils, type LangiumDocument, type LangiumSharedCoreServices, type WorkspaceManager } from 'langium';
import { existsSync, lstatSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';
import type { Import, Spec } from '../generated/ast.js';

type ImportTarget = { uri: URI } | { error: string };

/** How messages name a kind of file a spec refers to by path. */
export interface FileKind {
    keyword: string;
    article: string;
    example: string;
    nested: string;
    extension: string;
    used: string;
    noun: string;
}

const IMPORT_FILES: FileKind = {
    keyword: 'import',
    article: 'an import',
    example: 'ops.emn',
    nested: 'shared/ops.emn',
    extension: '.emn',
    used: 'imported',
    noun: 'an .emn file',
};

/**
 * The workspace folder that contains a file decides how far its imports may reach. An editor gives its
 * folders; the CLI, which has none, takes the current directory; a file outside every folder only
 * reaches its own directory.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export class ImportResolver {
    /** Folders used when the workspace manager knows none (the CLI sets the current directory). */
    fallbackRoots: URI[] = [];

    constructor(private readonly shared: LangiumSharedCoreServices) {}

    private get workspaceManager(): WorkspaceManager {
        return this.shared.workspace.WorkspaceManager;
    }

    /** The folder whose inside the file's imports must stay in. */
    rootOf(file: URI): URI {
        const folders = [...(this.workspaceManager.workspaceFolders ?? []).map(f => URI.parse(f.uri)), ...this.fallbackRoots];
        const containing = folders
            .filter(folder => folder.scheme === file.scheme && isInside(folder.path, file.path))
            .sort((a, b) => b.path.length - a.path.length)[0];
        return containing ?? (file.scheme === 'file' ? UriUtils.dirname(file) : file.with({ path: '/' }));
    }

    /** The file `imp` names, or why it cannot be imported (said at the import's string). */
    resolve(from: URI, path: string): ImportTarget {
        return this.resolveInside(from, path, IMPORT_FILES);
    }

    /**
     * A file a spec names by a path relative to itself (an import, a matrix file), or why it cannot be used: no absolute
     * paths, the right extension, inside the workspace folder (links followed first).
     */
    resolveInside(from: URI, path: string, kind: FileKind): ImportTarget {
        const named = `${kind.keyword} "${path}"`;
        if (path.trim() === '') return { error: `${kind.article} needs a path: ${kind.keyword} "${kind.example}" (relative to this file)` };
        if (path.startsWith('/') || path.startsWith('\\') || isAbsolute(path) || /^[a-zA-Z][\w+.-]*:/.test(path)) {
            return {
                error: `${named}: ${kind.article} is a path relative to this file (e.g. "${kind.example}" or "${kind.nested}"), not an absolute path`,
            };
        }
        if (!path.endsWith(kind.extension)) return { error: `${named}: only ${kind.extension} files can be ${kind.used}` };
        // half of a UTF-16 pair is no file name anywhere, and a URI of it throws (encodeURIComponent)
        if (LONE_SURROGATE.test(path)) return { error: `${kind.article} path holds a broken character (half of a UTF-16 pair)` };
        const root = this.rootOf(from);
        const target = UriUtils.resolvePath(UriUtils.dirname(from), path.replace(/\\/g, '/'));
        if (!isInside(root.path, target.path)) {
            return { error: `${named} leaves the workspace folder; ${kind.article} resolves only inside it` };
        }
        if (target.scheme !== 'file') {
            // in-memory workspaces (tests, untitled files): the file is there when the workspace holds its document
            return this.shared.workspace.LangiumDocuments.hasDocument(target) ? { uri: target } : { error: `${named}: no such file` };
        }
        if (!existsSync(target.fsPath)) {
            // a document the workspace holds without a file on disk (an editor's unsaved or in-memory file)
            if (this.shared.workspace.LangiumDocuments.hasDocument(target)) return { uri: target };
            return { error: `${named}: no such file (looked for ${displayPath(root, target)})` };
        }
        let real: string, realRoot: string;
        try {
            real = realpathSync(target.fsPath);
            realRoot = realpathSync(root.fsPath);
            if (statSync(real).isDirectory()) return { error: `${named} is a directory, not ${kind.noun}` };
        } catch {
            return { error: `${named}: the file cannot be read` };
        }
        if (!isInside(realRoot, real, sep)) {
            return { error: `${named} is a link to a file outside the workspace folder; ${kind.article} resolves only inside it` };
        }
        // a link is followed to its file; a plain file keeps the URI the workspace loaded it by
        return { uri: lstatSync(target.fsPath).isSymbolicLink() ? URI.file(real) : target };
    }

    /** The files a spec imports that resolve (errors are the validator's to report). */
    importedUris(document: LangiumDocument): URI[] {
        const spec = document.parseResult?.value as Spec | undefined;
        const uris: URI[] = [];
        for (const imp of spec?.imports ?? []) {
            const target = this.resolveImport(document.uri, imp);
            if (target && 'uri' in target) uris.push(target.uri);
        }
        return uris;
    }

    /**
     * The URIs this spec's imports point to, resolved or not (a missing file appearing must rebuild it),
     * as strings.
     */
    importedPaths(document: LangiumDocument): string[] {
        const spec = document.parseResult?.value as Spec | undefined;
        const paths: string[] = [];
        for (const imp of spec?.imports ?? []) {
            if (typeof imp.path !== 'string' || imp.path === '') continue;
            const target = this.resolveImport(document.uri, imp);
            paths.push(
                target && 'uri' in target
                    ? target.uri.toString()
                    : UriUtils.resolvePath(UriUtils.dirname(document.uri), imp.path).toString(),
            );
        }
        return paths;
    }

    resolveImport(from: URI, imp: Import): ImportTarget | undefined {
        return typeof imp.path === 'string' ? this.resolve(from, imp.path) : undefined;
    }
}

function isInside(folder: string, path: string, separator = '/'): boolean {
    const base = folder.endsWith(separator) ? folder : folder + separator;
    return path === folder || path.startsWith(base);
}

/** A file as a path relative to another file's folder ("ops.emn", "../shared/ops.emn"), for messages. */
export function relativePath(from: URI, to: URI): string {
    if (from.scheme === 'file' && to.scheme === 'file') {
        return relative(UriUtils.dirname(from).fsPath, to.fsPath).split(sep).join('/') || UriUtils.basename(to);
    }
    return UriUtils.relative(UriUtils.dirname(from), to);
}

function displayPath(root: URI, target: URI): string {
    return relative(root.fsPath, target.fsPath).split(sep).join('/');
}
