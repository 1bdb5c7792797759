// The codes the validator attaches to diagnostics (`data.code`), read by the quick fixes.

export const DiagnosticCodes = {
    /** A number outside its range; data.replacement is the nearest valid value. */
    ValueRange: 'emn.value-range',
    /** uniform(a, b) with a > b; the fix swaps the bounds. */
    UniformBounds: 'emn.uniform-bounds',
    /** `vectors binary`; the fix writes the default vector distribution. */
    BinaryVectors: 'emn.binary-vectors',
    /** An optimiser option the optimiser does not take. */
    OptionForOtherOptimizer: 'emn.option-for-other-optimizer',
    DuplicateOption: 'emn.duplicate-option',
    /** A property given twice in one declaration; the fix removes the second. */
    DuplicateProperty: 'emn.duplicate-property',
    MultipleKinds: 'emn.multiple-kinds',
    DuplicateName: 'emn.duplicate-name',
    /** A declaration's name with letters beyond ASCII. */
    InvalidName: 'emn.invalid-name',
    /** An import that is missing, outside the workspace folder, absolute or part of a cycle. */
    ImportError: 'emn.import',
    /** An import after a declaration; the fix moves it to the top. */
    ImportNotAtTop: 'emn.import-not-at-top',
    DuplicateImport: 'emn.duplicate-import',
    /** A syntax error whose message names a fix; data.edit is that fix. */
    SyntaxFix: 'emn.syntax-fix',
    /** Warning: a property the metaEpochs schedule ignores. */
    IgnoredUnderMetaEpochs: 'emn.ignored-under-meta-epochs',
    MissingLearn: 'emn.missing-learn',
    DuplicateSweepParameter: 'emn.duplicate-sweep-parameter',
    EvaluateSizeMismatch: 'emn.evaluate-size-mismatch',
    PoolMissing: 'emn.pool-missing',
    /** Warning: power k / polynomial of degree k learned with fewer than k masking layers. */
    MaskingBelowOrder: 'emn.masking-below-order',
    /** Warning: the estimated time exceeds a laptop's hour, or a sweep's points or time are many. */
    TooExpensive: 'emn.too-expensive',
    /** Error: the estimated memory per step is beyond what training allows (training-limits.ts). */
    TooBigToTrain: 'emn.too-big-to-train',
} as const;

export type DiagnosticCode = (typeof DiagnosticCodes)[keyof typeof DiagnosticCodes];

/** `data` of a diagnostic whose quick fix replaces the offending text. */
export interface ReplacementData {
    code: DiagnosticCode;
    /** The text a quick fix writes over the diagnostic's range. */
    replacement?: string;
}
