// Rebuilds a spec when a file it imports changes, appears or goes: its scope and its import errors depend on that file.
import { DefaultDocumentBuilder, type LangiumDocument, type LangiumSharedCoreServices } from 'langium';
import type { EmnServices } from '../emn-module.js';

export class EmnDocumentBuilder extends DefaultDocumentBuilder {
    constructor(private readonly shared: LangiumSharedCoreServices) {
        super(shared);
    }

    protected override shouldRelink(document: LangiumDocument, changedUris: Set<string>): boolean {
        if (super.shouldRelink(document, changedUris)) return true;
        const services = this.shared.ServiceRegistry.getServices(document.uri) as EmnServices;
        const imports = services.references.ImportResolver?.importedPaths(document) ?? [];
        return imports.some(uri => changedUris.has(uri));
    }
}
