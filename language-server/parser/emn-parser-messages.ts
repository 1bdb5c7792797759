// Syntax errors in the language's words (Chevrotain's message hooks): what is wrong, what is allowed there, and a fix where it is clear.
import type { IParserErrorMessageProvider, IToken, TokenType } from 'chevrotain';
import {
    BLOCK_PROPERTIES,
    DECLARATION_KEYWORDS,
    defaultNumberText,
    describeBlock,
    KEYWORDS,
    NAME_RULE,
    OPTIMIZER_OPTIONS,
    OPTION_SYNONYMS,
    VALUE_FORMS,
    withArticle,
    type DeclarationKeyword,
} from '../language-facts.js';
import { closeNames } from '../name-suggestions.js';

/** A fix the message implies: text written at a place (before a token, after a token, or over it). */
export interface SyntaxFix {
    title: string;
    newText: string;
    /** Where the text goes: over `token`, just before it, or just after it. */
    at: 'replace' | 'before' | 'after';
    token: IToken;
}

/** What the editor shows: where (the token, or the end of the one before it) and the fix, for a reported token. */
interface SyntaxErrorDetail {
    /** Point at the end of the previous token (a missing value or brace) instead of the unexpected one. */
    atPrevious?: IToken;
    fix?: SyntaxFix;
    /** The mistake this error belongs to: of several errors of one mistake (recovery going on in a sweep list), one is shown. */
    mistake?: string;
}

const BLOCK_RULES: Record<string, DeclarationKeyword> = { Operation: 'operation', Network: 'network', Experiment: 'experiment' };

type OptimizerName = 'sgd' | 'adam';
const OPTIMIZER_RULES: Record<string, OptimizerName> = { SgdOptimizer: 'sgd', AdamOptimizer: 'adam' };

/** The form of each rule, as its hover writes it, for "the form is ..." hints. */
const RULE_FORMS: Record<string, string> = {
    Import: 'import "ops.emn"',
    LearnProperty: 'learn Op with Net',
    UniformDistribution: 'uniform(a, b)',
    NormalDistribution: 'normal(mu, sigma)',
    PolynomialKind: 'polynomial [c0, c1, c2]',
    PowerKind: 'power 2',
    StopProperty: 'stop when mse < 1e-6',
    MetaEpochSchedule: 'metaEpochs 5 masks 64 steps 40 order shuffled',
    EvaluateProperty: 'evaluate 1000 samples [on Op | on pool]',
    SweepProperty: 'sweep size [5, 10, 20], sparsity [0.2, 0.5]',
    SweepAxis: 'sweep size [5, 10, 20]',
    SgdOptimizer: 'sgd(lr 0.05, momentum 0.9)',
    AdamOptimizer: 'adam(lr 0.01, beta1 0.9, beta2 0.999, epsilon 1e-8)',
    OptimizerOption: 'lr 0.01',
};

/** What a choice rule offers, when the keyword before it does not say (see VALUE_FORMS). */
const RULE_CHOICES: Record<string, string> = {
    SweepAxis: 'a list of numbers or of names, separated by commas: the form is sweep size [5, 10, 20] or sweep activation [none, relu]',
    OptimizerOptionName: 'an optimiser option: lr, momentum (sgd), beta1, beta2, epsilon (adam)',
    SweepParameter:
        'a sweep parameter: size, sparsity, power, rank, width, depth, masking, pool, batch, steps, lr, momentum, seed, ' +
        'metaEpochs, masks, maskSteps (numbers) or order, activation, pruning, weights (names)',
};

const FILE_HOLDS = 'a file holds imports (`import "ops.emn"`), then operation, network and experiment declarations';

export class EmnParserErrorMessageProvider implements IParserErrorMessageProvider {
    /** Details of the errors reported on each token, read when the errors become diagnostics. */
    private readonly details = new WeakMap<IToken, SyntaxErrorDetail>();
    /** The token before the one being reported (Chevrotain passes it to each build method). */
    private previous?: IToken;
    /** The text being parsed: a message about an optimiser option names the optimiser written before it. */
    private text = '';
    /** A sweep axis with a mistake: later errors before its `]` are the same mistake. */
    private openMistake?: { key: string; until: number };

    /** Called before each parse, with the text the errors will be about. */
    parsing(text: string): void {
        this.text = text;
        this.openMistake = undefined;
    }

    /** The detail of an error reported on `token` (`previous`: the token before it, which keys errors at the end of the file). */
    detailOf(token: IToken, previous?: IToken): SyntaxErrorDetail | undefined {
        return isEof(token) ? (previous ? this.details.get(previous) : undefined) : this.details.get(token);
    }

    buildMismatchTokenMessage({
        expected,
        actual,
        previous,
        ruleName,
    }: {
        expected: TokenType;
        actual: IToken;
        previous: IToken;
        ruleName: string;
    }): string {
        ruleName = plainRuleName(ruleName);
        this.previous = previous;
        return this.grouped(actual, ruleName, this.mismatchMessage(expected, actual, previous, ruleName));
    }

    private mismatchMessage(expected: TokenType, actual: IToken, previous: IToken, ruleName: string): string {
        const block = BLOCK_RULES[ruleName];
        const wanted = expected.name;
        // Langium reports input left after the last declaration as a missing end of file
        if (wanted === 'EOF') return this.buildNotAllInputParsedMessage({ firstRedundant: actual, ruleName });
        if (block && wanted === '}') return this.unexpectedInBlock(block, actual, previous);
        if (block && wanted === '{') {
            return this.note(
                actual,
                { fix: { title: 'Add `{`', newText: ' {', at: 'after', token: previous } },
                `\`{\` missing after \`${previous.image}\`: the form is ${block} Name { ... }`,
            );
        }
        if (wanted === 'ID') return this.nameExpected(ruleName, actual, previous);
        if (wanted === 'NUMBER') return this.numberExpected(ruleName, actual, previous);
        const optimizer = OPTIMIZER_RULES[ruleName];
        if (optimizer && wanted === ')' && /^[\p{L}_]/u.test(actual.image)) return this.unknownOption(optimizer, actual);
        if (ruleName === 'StopProperty' && wanted === 'mse' && /^[\p{L}_]/u.test(actual.image)) {
            return this.note(
                actual,
                { fix: { title: 'Change to `mse`', newText: 'mse', at: 'replace', token: actual } },
                `stop rules read \`mse\` (the training loss, a mean squared error), not \`${actual.image}\`: the form is ${RULE_FORMS.StopProperty}`,
            );
        }
        if (wanted === 'STRING') {
            return `\`import\` needs a path in double quotes, relative to this file: import "ops.emn"; found ${describe(actual)}`;
        }
        const form = RULE_FORMS[ruleName];
        const word = /^\w/.test(wanted);
        if (word && /^[A-Za-z_]/.test(actual.image) && closeNames(actual.image, [wanted], 1).length > 0) {
            return this.note(
                actual,
                { fix: { title: `Change to \`${wanted}\``, newText: wanted, at: 'replace', token: actual } },
                `expected \`${wanted}\`, found \`${actual.image}\`: did you mean \`${wanted}\`?` + (form ? ` The form is ${form}` : ''),
            );
        }
        const fix: SyntaxFix = word
            ? { title: `Add \`${wanted}\``, newText: `${wanted} `, at: 'before', token: actual }
            : { title: `Add \`${wanted}\``, newText: wanted, at: 'after', token: previous };
        const where = isEof(actual) ? 'at the end of the file' : `before ${describe(actual)}`;
        return this.note(
            actual,
            { fix, atPrevious: word ? undefined : previous },
            `\`${wanted}\` missing ${where}` + (form ? `: the form is ${form}` : ''),
        );
    }

    buildNotAllInputParsedMessage({ firstRedundant }: { firstRedundant: IToken; ruleName: string }): string {
        if (isEof(firstRedundant)) return 'unexpected end of the file';
        const image = firstRedundant.image;
        if (image === '}') {
            return this.note(
                firstRedundant,
                { fix: { title: 'Remove the `}`', newText: '', at: 'replace', token: firstRedundant } },
                '`}` closes nothing here: remove it (or the block it should close lacks its `{`)',
            );
        }
        const owner = (Object.keys(BLOCK_PROPERTIES) as DeclarationKeyword[]).find(k => BLOCK_PROPERTIES[k].includes(image));
        if (owner) return `\`${image}\` belongs inside ${withArticle(owner)} { ... } block; ${FILE_HOLDS}`;
        const close = closeNames(image, ['import', ...DECLARATION_KEYWORDS], 1)[0];
        if (close) {
            return this.note(
                firstRedundant,
                { fix: { title: `Change to \`${close}\``, newText: close, at: 'replace', token: firstRedundant } },
                `\`${image}\` does not start a declaration; did you mean \`${close}\`? ${capitalise(FILE_HOLDS)}`,
            );
        }
        return `${describe(firstRedundant)} does not start a declaration; ${FILE_HOLDS}`;
    }

    buildNoViableAltMessage({
        expectedPathsPerAlt,
        actual,
        previous,
        ruleName,
    }: {
        expectedPathsPerAlt: TokenType[][][];
        actual: IToken[];
        previous: IToken;
        customUserDescription?: string;
        ruleName: string;
    }): string {
        this.previous = previous;
        const rule = plainRuleName(ruleName);
        return this.grouped(actual[0], rule, this.choiceExpected(expectedPathsPerAlt.flat(), actual[0], previous, rule));
    }

    buildEarlyExitMessage({
        expectedIterationPaths,
        actual,
        previous,
        ruleName,
    }: {
        expectedIterationPaths: TokenType[][];
        actual: IToken[];
        previous: IToken;
        customUserDescription?: string;
        ruleName: string;
    }): string {
        this.previous = previous;
        const rule = plainRuleName(ruleName);
        return this.grouped(actual[0], rule, this.choiceExpected(expectedIterationPaths, actual[0], previous, rule));
    }

    /** `}` was expected: the token is an unknown property, another block's property, a new declaration or the end. */
    protected unexpectedInBlock(block: DeclarationKeyword, actual: IToken, previous: IToken): string {
        const takes = `${capitalise(withArticle(block))} takes ${describeBlock(block)}`;
        if (isEof(actual) || (DECLARATION_KEYWORDS as readonly string[]).includes(actual.image) || actual.image === 'import') {
            const where = isEof(actual) ? 'at the end of the file' : `before \`${actual.image}\``;
            return this.note(
                actual,
                { atPrevious: previous, fix: { title: 'Close the block with `}`', newText: '\n}', at: 'after', token: previous } },
                `\`}\` missing ${where}: the ${block} block is not closed`,
            );
        }
        const owner = (Object.keys(BLOCK_PROPERTIES) as DeclarationKeyword[]).find(
            k => k !== block && BLOCK_PROPERTIES[k].includes(actual.image),
        );
        if (owner) return `\`${actual.image}\` is not a property of ${withArticle(block)} (it belongs in ${withArticle(owner)}). ${takes}`;
        if (/^[\p{L}_]/u.test(actual.image)) {
            const close = closeNames(actual.image, BLOCK_PROPERTIES[block], 1)[0];
            if (close) {
                return this.note(
                    actual,
                    { fix: { title: `Change to \`${close}\``, newText: close, at: 'replace', token: actual } },
                    `unknown property \`${actual.image}\` in ${withArticle(block)}; did you mean \`${close}\`? ${takes}`,
                );
            }
            return `unknown property \`${actual.image}\` in ${withArticle(block)}. ${takes}`;
        }
        return `unexpected ${describe(actual)} in ${withArticle(block)} (each property takes one value). ${takes}`;
    }

    protected nameExpected(ruleName: string, actual: IToken, previous: IToken): string {
        const block = BLOCK_RULES[ruleName];
        const what = block
            ? `${withArticle(block)} needs a name after \`${block}\``
            : ruleName === 'LearnProperty'
              ? `\`${previous.image}\` needs a name: the form is learn Op with Net`
              : ruleName === 'EvaluateProperty'
                ? '`on` needs an operation name (or `pool`)'
                : `a name is needed after \`${previous.image}\``;
        if (KEYWORDS.has(actual.image)) {
            // a keyword chosen as a name is one mistake, however often the name is written
            return this.note(
                actual,
                { mistake: `keyword ${actual.image} as a name` },
                `${what}; \`${actual.image}\` is a keyword, not a name. ${NAME_RULE}`,
            );
        }
        return `${what}; found ${describe(actual)}. ${NAME_RULE}`;
    }

    protected numberExpected(ruleName: string, actual: IToken, previous: IToken): string {
        if (ruleName === 'SweepAxis' || ruleName === 'PolynomialKind') {
            const form = RULE_FORMS[ruleName];
            const what = ruleName === 'SweepAxis' ? 'numbers (or names: `sweep activation [none, relu]`)' : 'numbers';
            return `a list needs ${what}, separated by commas, all of one kind: the form is ${form}; found ${describe(actual)}`;
        }
        const value = defaultNumberText(ruleName, previous.image);
        const example =
            value !== undefined
                ? ` (e.g. ${previous.image} ${value})`
                : RULE_FORMS[ruleName]
                  ? ` (the form is ${RULE_FORMS[ruleName]})`
                  : '';
        if (!/^\w/.test(previous.image) && RULE_FORMS[ruleName]) {
            return this.note(
                actual,
                { atPrevious: previous },
                `a number is missing after \`${previous.image}\`: the form is ${RULE_FORMS[ruleName]}; found ${describe(actual)}`,
            );
        }
        const detail: SyntaxErrorDetail = { atPrevious: previous };
        if (value !== undefined)
            detail.fix = { title: `Add the value: ${previous.image} ${value}`, newText: ` ${value}`, at: 'after', token: previous };
        return this.note(actual, detail, `\`${previous.image}\` needs a number${example}; found ${describe(actual)}`);
    }

    /** One of several keywords was expected (a distribution, an optimiser, a sweep parameter...). */
    protected choiceExpected(paths: TokenType[][], actual: IToken, previous: IToken, ruleName: string): string {
        if (ruleName === 'OptimizerOptionName' && /^[\p{L}_]/u.test(actual.image ?? '')) {
            const optimizer = this.optimizerBefore(actual);
            if (optimizer) return this.unknownOption(optimizer, actual);
        }
        const firsts = [...new Set(paths.map(p => p[0]?.name).filter((n): n is string => !!n && n !== 'EOF'))];
        const keywords = firsts.filter(n => /^\w+$/.test(n) && n !== 'ID' && n !== 'NUMBER');
        const offered = VALUE_FORMS[previous.image]
            ? `\`${previous.image}\` takes ${VALUE_FORMS[previous.image]}`
            : RULE_CHOICES[ruleName]
              ? `expected ${RULE_CHOICES[ruleName]}`
              : `expected ${firsts.map(n => (n === 'ID' ? 'a name' : n === 'NUMBER' ? 'a number' : `\`${n}\``)).join(', ')}`;
        const close = /^[A-Za-z_]/.test(actual.image) ? closeNames(actual.image, keywords, 1)[0] : undefined;
        if (close) {
            return this.note(
                actual,
                { fix: { title: `Change to \`${close}\``, newText: close, at: 'replace', token: actual } },
                `${offered}; found \`${actual.image}\`: did you mean \`${close}\`?`,
            );
        }
        return `${offered}; found ${describe(actual)}`;
    }

    /** "sgd takes lr, momentum; `learning_rate` is not one of them — did you mean `lr`?" */
    protected unknownOption(optimizer: OptimizerName, actual: IToken): string {
        const options = OPTIMIZER_OPTIONS[optimizer === 'sgd' ? 'SgdOptimizer' : 'AdamOptimizer'].options;
        const meant = OPTION_SYNONYMS[actual.image.toLowerCase()];
        const close = meant && options.includes(meant) ? meant : closeNames(actual.image, options, 1)[0];
        const message = `${optimizer} takes ${options.join(', ')}; \`${actual.image}\` is not one of them`;
        if (!close) return message;
        return this.note(
            actual,
            { fix: { title: `Change to \`${close}\``, newText: close, at: 'replace', token: actual } },
            `${message} — did you mean \`${close}\`?`,
        );
    }

    /** The optimiser whose parentheses hold `token`: the last `sgd(` or `adam(` written before it. */
    private optimizerBefore(token: IToken): OptimizerName | undefined {
        const before = this.text.slice(0, Math.max(0, token.startOffset));
        const opened = [...before.matchAll(/\b(sgd|adam)\s*\(/g)].pop();
        if (!opened || before.slice(opened.index).includes(')')) return undefined;
        return opened[1] as OptimizerName;
    }

    /**
     * Errors that recovery reports on, inside a sweep axis with a mistake, are that one mistake: the first opens it
     * (up to the axis's `]`) and each later one before that is marked as part of it.
     */
    private grouped(actual: IToken, ruleName: string, message: string): string {
        const offset = actual.startOffset;
        if (!Number.isFinite(offset) || isEof(actual)) return message;
        if (this.openMistake && offset <= this.openMistake.until) {
            this.details.set(actual, { ...this.details.get(actual), mistake: this.openMistake.key });
        } else if (/^Sweep/.test(ruleName)) {
            const close = this.text.indexOf(']', offset);
            const lineEnd = this.text.indexOf('\n', offset);
            const until = close >= 0 ? close : lineEnd >= 0 ? lineEnd : this.text.length;
            this.openMistake = { key: `sweep axis at ${offset}`, until };
            this.details.set(actual, { ...this.details.get(actual), mistake: this.openMistake.key });
        }
        return message;
    }

    /**
     * Keeps the detail for the diagnostic. The end-of-file token is one object shared by every parse,
     * so an error there is keyed by the token before it.
     */
    private note(token: IToken, detail: SyntaxErrorDetail, message: string): string {
        const key = isEof(token) ? this.previous : token;
        if (key && !isEof(key)) this.details.set(key, detail);
        return message;
    }
}

/** Langium appends a zero-width space to the rule names it gives Chevrotain. */
function plainRuleName(name: string): string {
    return name.replace(/\u200B/g, '');
}

function isEof(token: IToken): boolean {
    return token.tokenType?.name === 'EOF' || token.image === '';
}

/** A token as a message says it: `size`, or "the end of the file". */
function describe(token: IToken | undefined): string {
    if (!token || isEof(token)) return 'the end of the file';
    return `\`${token.image}\``;
}

function capitalise(text: string): string {
    return text.charAt(0).toUpperCase() + text.slice(1);
}
