// Shared by the language-feature tests: in-memory .emn services and helpers that parse, validate and clean up.
import { EmptyFileSystem, type LangiumDocument } from 'langium';
import { clearDocuments, parseHelper, validationHelper, type ValidationResult } from 'langium/test';
import { afterEach } from 'vitest';
import type { Spec } from '../language-server/generated/ast.js';
import { createEmnServices, type EmnServices } from '../language-server/emn-module.js';

/** Fresh services per test file; every document a test creates is removed after it (one namespace per workspace). */
export function useEmnServices(): {
    services: EmnServices;
    validate: (text: string, uri?: string) => Promise<ValidationResult<Spec>>;
    parse: (text: string, uri?: string) => Promise<LangiumDocument<Spec>>;
} {
    const services = createEmnServices(EmptyFileSystem).Emn;
    const validateHelper = validationHelper<Spec>(services);
    const parseDoc = parseHelper<Spec>(services);
    afterEach(async () => {
        await clearDocuments(services);
    });
    return {
        services,
        validate: (text, uri) => validateHelper(text, uri ? { documentUri: uri } : undefined),
        parse: (text, uri) => parseDoc(text, uri ? { documentUri: uri, validation: true } : { validation: true }),
    };
}

/** Offset of the n-th (0-based) occurrence of `needle` in `text`, plus `delta`; throws if absent so a test cannot pass by accident. */
export function offsetOf(text: string, needle: string, nth = 0, delta = 0): number {
    let at = -1;
    for (let i = 0; i <= nth; i++) {
        at = text.indexOf(needle, at + 1);
        if (at < 0) throw new Error(`'${needle}' (occurrence ${nth}) not in test text`);
    }
    return at + delta;
}
