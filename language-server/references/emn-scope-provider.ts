// Scoping of .emn references: each file is its own namespace; its declarations first, then those of the files it imports.
import {
    AstUtils,
    DefaultScopeProvider,
    DocumentCache,
    WorkspaceCache,
    stream,
    type AstNodeDescription,
    type IndexManager,
    type LangiumDocument,
    type ReferenceInfo,
    type Scope,
    type Stream,
} from 'langium';
import type { EmnServices } from '../emn-module.js';
import type { ImportResolver } from './import-resolver.js';

/**
 * Lookups go by hash: Langium's default searches the document's local symbols linearly for every
 * reference (a 100,000-line spec took minutes). Every .emn declaration is top-level, so the local
 * symbols are one table per document and reference type, built once per document version; the
 * imported ones are one table per document and type, rebuilt after any change in the workspace
 * (an imported file may have changed).
 */
export class EmnScopeProvider extends DefaultScopeProvider {
    private readonly localTables: DocumentCache<string, Map<string, AstNodeDescription>>;
    private readonly importedTables: WorkspaceCache<string, Map<string, AstNodeDescription[]>>;
    private readonly imports: ImportResolver;
    private readonly index: IndexManager;

    constructor(services: EmnServices) {
        super(services);
        this.localTables = new DocumentCache(services.shared);
        this.importedTables = new WorkspaceCache(services.shared);
        this.imports = services.references.ImportResolver;
        this.index = services.shared.workspace.IndexManager;
    }

    override getScope(context: ReferenceInfo): Scope {
        const referenceType = this.reflection.getReferenceType(context);
        const document = AstUtils.getDocument(context.container);
        return new LocalFirstScope(this.localTable(document, referenceType), this.importedTable(document, referenceType));
    }

    /** Every declaration a reference of this file may name (of `type`, or of any type), local ones first. */
    visibleDeclarations(document: LangiumDocument, type?: string): AstNodeDescription[] {
        const local = this.localTable(document, type);
        const imported = [...this.importedTable(document, type).values()].flat().filter(d => !local.has(d.name));
        return [...local.values(), ...imported];
    }

    private localTable(document: LangiumDocument, type: string | undefined): Map<string, AstNodeDescription> {
        const root = document.parseResult.value;
        const symbols = document.localSymbols;
        if (!symbols?.has(root)) return new Map();
        return this.localTables.get(document.uri, type ?? '*', () => {
            const table = new Map<string, AstNodeDescription>();
            for (const d of symbols.getStream(root)) {
                // the first declaration of a name wins (a second one is a validation error)
                if ((!type || this.reflection.isSubtype(d.type, type)) && !table.has(d.name)) table.set(d.name, d);
            }
            return table;
        });
    }

    /** Name -> declarations of that name in the imported files (more than one file: an ambiguous reference). */
    private importedTable(document: LangiumDocument, type: string | undefined): Map<string, AstNodeDescription[]> {
        return this.importedTables.get(`${document.uri.toString()}\n${type ?? '*'}`, () => {
            const table = new Map<string, AstNodeDescription[]>();
            const uris = new Set(this.imports.importedUris(document).map(u => u.toString()));
            uris.delete(document.uri.toString());
            if (uris.size === 0) return table;
            for (const d of this.index.allElements(type, uris)) {
                const list = table.get(d.name);
                if (!list) table.set(d.name, [d]);
                else if (!list.some(other => other.documentUri.toString() === d.documentUri.toString())) list.push(d);
            }
            return table;
        });
    }
}

class LocalFirstScope implements Scope {
    constructor(
        private readonly local: Map<string, AstNodeDescription>,
        private readonly imported: Map<string, AstNodeDescription[]>,
    ) {}

    getElement(name: string): AstNodeDescription | undefined {
        return this.local.get(name) ?? this.imported.get(name)?.[0];
    }

    getElements(name: string): Stream<AstNodeDescription> {
        const own = this.local.get(name);
        return own ? stream([own]) : stream(this.imported.get(name) ?? []);
    }

    getAllElements(): Stream<AstNodeDescription> {
        const imported = [...this.imported.values()].flat().filter(d => !this.local.has(d.name));
        return stream(this.local.values()).concat(imported);
    }
}
