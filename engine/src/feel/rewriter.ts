/**
 * The rewrite of a parsed FEEL expression into the source feelin evaluates:
 *
 * - a call of a built-in goes to Baton's implementation under a reserved name, whatever variables
 *   exist (as on Camunda, a variable never hides a function);
 * - an iteration domain, a range, a filter, a path, an `in` list and the body of a user-defined
 *   function pass through a helper that charges the evaluation's work budget before feelin works;
 * - `partial` in a `for` becomes a snapshot of the results so far (feelin hands out the growing list);
 * - a variable of the caller is read through a helper (`ƒvar("name")`), so feelin's parser never
 *   walks its value (it does, for every name in its context: 0.4 s for a list of 200,000 numbers).
 *   Names bound inside the expression (for/some/every, function parameters, context entries) stay
 *   as they are; inside a filter a name may be a key of the element, so it stays too and the
 *   variable is handed to feelin (listed in `reads`).
 */
import { parseExpression } from 'feelin';
import { BUILTIN_NAMES, builtinId, HELPERS } from './registry.js';

type SyntaxNode = ReturnType<typeof parseExpression>['topNode'];

/** Deepest syntax nesting an expression may have. */
export const MAX_NESTING = 400;

/** Why a source could not be rewritten. */
export class PrepareError extends Error {
  constructor(
    readonly kind: 'syntax' | 'budget',
    message: string,
  ) {
    super(message);
  }

  static nesting(): PrepareError {
    return new PrepareError(
      'budget',
      `Expected FEEL nested at most ${MAX_NESTING} levels deep, but it is nested deeper`,
    );
  }
}

/** Node kinds whose value feelin treats as a test when used as a filter (so the filter scans the list). */
const TEST_FILTERS = new Set([
  'Comparison',
  'Conjunction',
  'Disjunction',
  'QuantifiedExpression',
  'InstanceOfExpression',
  'SimplePositiveUnaryTest',
  'Interval',
  'StringLiteral',
  'IfExpression',
]);
/** Node kinds that may evaluate to a list inside `x in …` (so the test scans it). */
const LIST_LIKE = new Set(['VariableName', 'PathExpression', 'FunctionInvocation', 'FilterExpression']);

/** Rewrites one parse tree; {@link result} is the rewritten source and what was learnt on the way. */
export class Rewriter {
  private out = '';
  private readonly reads = new Set<string>();
  private readonly uses = new Set<string>();
  private readonly defined = new Set<string>();
  private readonly called = new Set<string>();
  private readonly callsAt = new Map<number, string>();
  private readonly scopes: Array<Set<string>> = [];
  private inForReturn = 0;
  private inFilter = 0;
  private inType = 0;

  constructor(private readonly src: string) {}

  result() {
    return {
      text: this.out,
      reads: [...this.reads],
      uses: [...this.uses],
      callsAt: this.callsAt as ReadonlyMap<number, string>,
      unknownFunctions: [...this.called].filter((n) => !this.defined.has(n)),
    };
  }

  node(n: SyntaxNode, depth: number): void {
    if (n.type.isError) throw new PrepareError('syntax', syntaxMessage(this.src, n.from));
    if (depth > MAX_NESTING) throw PrepareError.nesting();
    switch (n.name) {
      case 'FunctionInvocation':
        return this.call(n, depth);
      case 'DateTimeLiteral':
        return this.dateTime(n, depth);
      case 'IterationContext':
        return this.iteration(n, depth);
      case 'FilterExpression':
        return this.filter(n, depth);
      case 'PathExpression':
        return this.wrapFirst(HELPERS.scan, n, depth);
      case 'PositiveUnaryTest':
        return this.unaryTest(n, depth);
      case 'FunctionBody':
        return this.wrapAll(HELPERS.call, n, depth);
      case 'ForExpression':
      case 'QuantifiedExpression':
      case 'FunctionDefinition':
      case 'Context':
        return this.scoped(() => this.children(n, depth));
      case 'InExpression':
      case 'ContextEntry':
        return this.binding(n, depth);
      case 'ParameterName':
        if (n.parent?.name === 'FormalParameter') this.define(nameOf(this.src, n));
        return this.copy(n.from, n.to);
      case 'Type':
        this.inType++;
        this.children(n, depth);
        this.inType--;
        return;
      case 'VariableName':
        return this.variable(n);
      case '?':
        // the input value of a unary test, or a variable named `?` (DMN's expressions inside tests)
        this.reads.add('?');
        return this.copy(n.from, n.to);
      default:
        if (n.firstChild) this.children(n, depth);
        else this.copy(n.from, n.to);
    }
  }

  private copy(from: number, to: number): void {
    if (to > from) this.out += this.src.slice(from, to);
  }

  private use(name: string): string {
    this.uses.add(name);
    return name;
  }

  private scoped(render: () => void): void {
    this.scopes.push(new Set());
    render();
    this.scopes.pop();
  }

  private define(name: string): void {
    this.scopes[this.scopes.length - 1]?.add(name);
    this.defined.add(name);
  }

  private isLocal(name: string): boolean {
    return this.scopes.some((s) => s.has(name));
  }

  /** Renders the children of `n` and the text between them, after the first `skip` children. */
  private children(n: SyntaxNode, depth: number, skip = 0): void {
    let c = n.firstChild;
    for (let i = 0; i < skip && c; i++) c = c.nextSibling;
    let pos = skip > 0 ? (c?.prevSibling?.to ?? n.from) : n.from;
    for (; c; c = c.nextSibling) {
      this.copy(pos, c.from);
      const isReturn = n.name === 'ForExpression' && c.nextSibling === null;
      if (isReturn) this.inForReturn++;
      this.node(c, depth + 1);
      if (isReturn) this.inForReturn--;
      pos = c.to;
    }
    this.copy(pos, n.to);
  }

  /** Renders `inner` wrapped in a call of the helper `helper`. */
  private wrapped(helper: string, inner: SyntaxNode, depth: number): void {
    this.out += `${this.use(helper)}(`;
    this.node(inner, depth + 1);
    this.out += ')';
  }

  /** Renders `n` with its first child wrapped in a call of `helper`. */
  private wrapFirst(helper: string, n: SyntaxNode, depth: number): void {
    this.wrapped(helper, n.firstChild!, depth);
    this.children(n, depth, 1);
  }

  /** Renders `n` wrapped in a call of `helper`. */
  private wrapAll(helper: string, n: SyntaxNode, depth: number): void {
    this.out += `${this.use(helper)}(`;
    this.children(n, depth);
    this.out += ')';
  }

  /** `name in domain` or `key: value`: the name is bound for what follows, not for its own right side. */
  private binding(n: SyntaxNode, depth: number): void {
    const first = n.firstChild!;
    this.copy(n.from, first.to);
    this.children(n, depth, 1);
    this.define(first.name === 'Key' ? keyName(this.src, first) : nameOf(this.src, first));
  }

  private call(n: SyntaxNode, depth: number): void {
    const callee = n.firstChild!;
    if (callee.name !== 'VariableName' && callee.name !== 'SpecialFunctionName') return this.children(n, depth);
    const name = nameOf(this.src, callee);
    this.callsAt.set(this.out.length, name);
    if (BUILTIN_NAMES.has(name) && !this.isLocal(name)) this.out += this.use(builtinId(name));
    else {
      this.called.add(name);
      this.copy(callee.from, callee.to);
    }
    this.children(n, depth, 1);
  }

  private dateTime(n: SyntaxNode, depth: number): void {
    const ctor = n.firstChild!;
    if (ctor.name !== 'DateTimeConstructor') return this.children(n, depth);
    const name = nameOf(this.src, ctor);
    this.callsAt.set(this.out.length, name);
    this.out += this.use(builtinId(name));
    this.children(n, depth, 1);
  }

  private iteration(n: SyntaxNode, depth: number): void {
    const start = n.firstChild!;
    const dots = start.nextSibling;
    const end = dots?.nextSibling;
    if (!dots || !end) return this.wrapped(HELPERS.iterate, start, depth);
    this.out += `${this.use(HELPERS.range)}(`;
    this.node(start, depth + 1);
    this.out += ', ';
    this.node(end, depth + 1);
    this.out += ')..(';
    this.node(end, depth + 1);
    this.out += ')';
  }

  private filter(n: SyntaxNode, depth: number): void {
    const target = n.firstChild!;
    const condition = target.nextSibling?.nextSibling;
    if (condition && isTestFilter(condition)) this.wrapped(HELPERS.scan, target, depth);
    else this.node(target, depth + 1);
    this.inFilter++;
    this.children(n, depth, 1);
    this.inFilter--;
  }

  private unaryTest(n: SyntaxNode, depth: number): void {
    const inner = n.firstChild;
    if (!inner || inner.nextSibling || !LIST_LIKE.has(inner.name)) return this.children(n, depth);
    this.wrapped(HELPERS.scan, inner, depth);
  }

  private variable(n: SyntaxNode): void {
    const name = nameOf(this.src, n);
    if (name === 'partial' && this.inForReturn > 0 && !this.isLocal(name)) {
      this.out += `${this.use(HELPERS.partial)}(`;
      this.copy(n.from, n.to);
      this.out += ')';
    } else if (this.inType > 0 || this.isLocal(name)) {
      this.copy(n.from, n.to);
    } else if (this.inFilter > 0) {
      this.reads.add(name);
      this.copy(n.from, n.to);
    } else {
      this.out += `${this.use(HELPERS.variable)}("${name.replace(/["\\]/g, '\\$&')}")`;
    }
  }
}

function isTestFilter(n: SyntaxNode): boolean {
  if (n.name === 'ParenthesizedExpression') {
    const inner = n.firstChild?.nextSibling;
    return inner ? isTestFilter(inner) : false;
  }
  return TEST_FILTERS.has(n.name);
}

/** A name as feelin reads it: its identifiers joined by one space, backticks removed. */
function nameOf(src: string, n: SyntaxNode): string {
  const parts: string[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) {
    if (c.name === 'Name') parts.push(nameOf(src, c));
    else parts.push(src.slice(c.from, c.to).replace(/^`|`$/g, ''));
  }
  return parts.length > 0 ? parts.join(' ') : src.slice(n.from, n.to);
}

/** The name a context entry's key binds: a name, or the text of a string literal. */
function keyName(src: string, key: SyntaxNode): string {
  const inner = key.firstChild;
  if (inner?.name === 'StringLiteral') return src.slice(inner.from + 1, inner.to - 1).replace(/\\(.)/g, '$1');
  return inner ? nameOf(src, inner) : src.slice(key.from, key.to);
}

function syntaxMessage(src: string, from: number): string {
  if (from >= src.length) return `the expression ends early (at position ${from})`;
  return `it has a syntax error at position ${from}, near \`${src.slice(from, from + 12)}\``;
}
