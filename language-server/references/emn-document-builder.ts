// Builds the files a spec imports with it (loading them from disk when the workspace has not), and rebuilds a spec when one of them
// changes.
import { DefaultDocumentBuilder, type BuildOptions, type LangiumDocument, type LangiumSharedCoreServices, type URI } from 'langium';
import type { CancellationToken } from 'vscode-languageserver-protocol';
import type { EmnServices } from '../emn-module.js';
import type { ImportResolver } from './import-resolver.js';
import { isMatrixUri } from './matrix-files.js';

export class EmnDocumentBuilder extends DefaultDocumentBuilder {
    constructor(private readonly shared: LangiumSharedCoreServices) {
        super(shared);
    }

    private importsOf(document: LangiumDocument): ImportResolver | undefined {
        try {
            return (this.shared.ServiceRegistry.getServices(document.uri) as EmnServices).references.ImportResolver;
        } catch {
            return undefined; // not an .emn document
        }
    }

    /**
     * An imported file the workspace does not hold yet (created outside the editor, or opened
     * before the workspace was scanned) is loaded and built with its importer, so that its
     * declarations are in the index when the importer links.
     */
    protected override async buildDocuments(
        documents: LangiumDocument[],
        options: BuildOptions,
        cancelToken: CancellationToken,
    ): Promise<void> {
        const all = [...documents];
        const seen = new Set(all.map(d => d.uri.toString()));
        for (let i = 0; i < all.length; i++) {
            for (const uri of this.importsOf(all[i])?.importedUris(all[i]) ?? []) {
                const key = uri.toString();
                if (seen.has(key) || this.langiumDocuments.hasDocument(uri)) continue;
                seen.add(key);
                try {
                    all.push(await this.langiumDocuments.getOrCreateDocument(uri));
                } catch {
                    // unreadable: the importer's validation says so at the import
                }
            }
        }
        return super.buildDocuments(all, options, cancelToken);
    }

    /** Specs whose matrix files changed: relinked (and so validated and planned again) by the update under way. */
    private readonly matrixUsers = new Set<string>();

    /**
     * A changed or deleted .mtx file (the client's file watcher, workspace/didChangeWatchedFiles) is no document: the specs
     * that read it read it again and are relinked, so their diagnostics, plan hash and results state follow the file.
     */
    override async update(changed: URI[], deleted: URI[], cancelToken?: CancellationToken): Promise<void> {
        const matrices = [...changed, ...deleted].filter(isMatrixUri);
        if (matrices.length > 0) {
            const emn = this.shared.ServiceRegistry.all.find(
                (s): s is EmnServices => 'MatrixFiles' in ((s as EmnServices).references ?? {}),
            );
            const files = emn?.references.MatrixFiles;
            for (const uri of files?.usersOf(matrices) ?? []) {
                const document = this.langiumDocuments.getDocument(uri);
                if (!document) continue;
                files!.readFor(document);
                this.matrixUsers.add(uri.toString());
            }
        }
        try {
            await super.update(
                changed.filter(uri => !isMatrixUri(uri)),
                deleted.filter(uri => !isMatrixUri(uri)),
                cancelToken,
            );
        } finally {
            this.matrixUsers.clear();
        }
    }

    protected override shouldRelink(document: LangiumDocument, changedUris: Set<string>): boolean {
        if (super.shouldRelink(document, changedUris) || this.matrixUsers.has(document.uri.toString())) return true;
        const imports = this.importsOf(document)?.importedPaths(document) ?? [];
        return imports.some(uri => changedUris.has(uri));
    }
}
