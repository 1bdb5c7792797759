// Scoping of .emn references: declarations of the same file first, then the workspace, both by hash lookup.
import {
    AstUtils, DefaultScopeProvider, DocumentCache, stream,
    type AstNodeDescription, type LangiumCoreServices, type ReferenceInfo, type Scope, type Stream
} from 'langium';

/**
 * Langium's default resolves each reference by a linear search of the document's local symbols before the
 * (hashed) global scope: quadratic in the number of declarations (a 100,000-line spec took minutes). Every
 * .emn declaration is top-level, so the local symbols are one table per document and reference type, built
 * once per document version; the file's own declaration still wins over a same-named one elsewhere.
 */
export class EmnScopeProvider extends DefaultScopeProvider {
    private readonly localTables: DocumentCache<string, Map<string, AstNodeDescription>>;

    constructor(services: LangiumCoreServices) {
        super(services);
        this.localTables = new DocumentCache(services.shared);
    }

    override getScope(context: ReferenceInfo): Scope {
        const referenceType = this.reflection.getReferenceType(context);
        const global = this.getGlobalScope(referenceType, context);
        const document = AstUtils.getDocument(context.container);
        const root = document.parseResult.value;
        const symbols = document.localSymbols;
        if (!symbols?.has(root)) return global;
        const local = this.localTables.get(document.uri, referenceType, () => {
            const table = new Map<string, AstNodeDescription>();
            for (const d of symbols.getStream(root)) {
                // the first declaration of a name wins, as in the default scope
                if (this.reflection.isSubtype(d.type, referenceType) && !table.has(d.name)) table.set(d.name, d);
            }
            return table;
        });
        return new LocalFirstScope(local, global);
    }
}

class LocalFirstScope implements Scope {
    constructor(private readonly local: Map<string, AstNodeDescription>, private readonly outer: Scope) {}

    getElement(name: string): AstNodeDescription | undefined {
        return this.local.get(name) ?? this.outer.getElement(name);
    }

    getElements(name: string): Stream<AstNodeDescription> {
        const own = this.local.get(name);
        return own ? stream([own]).concat(this.outer.getElements(name)) : this.outer.getElements(name);
    }

    getAllElements(): Stream<AstNodeDescription> {
        return stream(this.local.values()).concat(this.outer.getAllElements());
    }
}
