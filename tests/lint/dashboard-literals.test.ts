import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Everything a person reads on the dashboard comes from the catalogs (t('page.…'), i18n/catalogs), in French and in
 * English: no words written into its scripts. Each dashboard/*.js is parsed (the TypeScript compiler's parser, no
 * type check, nothing run) and every string or template literal holding a word — a run of two letters or more — that
 * reaches a person is an error:
 *
 * - a child of h() or s() (their arguments after the tag and the attributes);
 * - an `aria-label`, `title`, `placeholder`, `alt` or `text` in h()'s or s()'s attributes, or given to setAttribute();
 * - what is assigned to `.textContent`, `.title`, `.placeholder`;
 * - an argument of announce(), showError(), onError(), showLoading(), showLoaded(), new Error(), new ApiError().
 *
 * A literal reaches a sink directly, or through what carries it there: a conditional, `+`, `??`, `||`, a template, an
 * array, an object's values (`new ApiError(0, { message })`, `{ live: '…' }[state]`), `.join()`, `.map()`,
 * `.toLowerCase()`, String(); a `const` of the same file; a parameter, from its default and the calls of its function
 * (by name, in this file or a file that imports it). Literals inside t() are keys, and fine; so is anything else (CSS classes,
 * attribute names, API paths, values sent to the API).
 */

const DASHBOARD = fileURLToPath(new URL('../../dashboard/', import.meta.url));

/**
 * Literals that hold letters and are still no word of any language. Keep it short, and say why.
 */
const ALLOWED = new Set<string>([
  // The page's own name for an API token's prefix is quoted in catalog messages, never alone; nothing here yet.
]);

const HAS_WORD = /\p{L}{2,}/u;
const SINK_CALLS = new Set(['announce', 'showError', 'onError', 'showLoading', 'showLoaded']);
const SINK_CONSTRUCTORS = new Set(['Error', 'ApiError']);
const SINK_ATTRIBUTES = new Set(['aria-label', 'title', 'placeholder', 'alt', 'text']);
const SINK_PROPERTIES = new Set(['textContent', 'title', 'placeholder']);
/** Methods whose result carries the words of the text or array they are called on (and `join`'s separator). */
const CARRYING_METHODS = new Set(['join', 'flat', 'concat', 'filter', 'slice', 'toLowerCase', 'toUpperCase', 'trim', 'padStart', 'padEnd']);
/** Methods whose result is what their callback returns. */
const MAPPING_METHODS = new Set(['map', 'flatMap']);
/** Methods that give their callback's first parameter each element of the array they are called on. */
const ELEMENT_METHODS = new Set(['map', 'flatMap', 'forEach', 'filter', 'find', 'some', 'every']);

export interface Finding {
  file: string;
  line: number;
  text: string;
  sink: string;
}

type Func = ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression;

interface Module {
  file: string;
  source: ts.SourceFile;
  /** Functions with a name (declared, or a const holding one), by name. */
  functions: Map<string, Func>;
  /** Every call in the file, for the parameters' callers. */
  calls: ts.CallExpression[];
  /** What this file imports from another dashboard file: local name → [file, exported name]. */
  imports: Map<string, [string, string]>;
}

export function parseModule(file: string, text: string): Module {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const functions = new Map<string, Func>();
  const calls: ts.CallExpression[] = [];
  const imports = new Map<string, [string, string]>();
  const visit = (node: ts.Node) => {
    if (ts.isFunctionDeclaration(node) && node.name) functions.set(node.name.text, node);
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer))) {
      functions.set(node.name.text, node.initializer);
    }
    if (ts.isCallExpression(node)) calls.push(node);
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && node.moduleSpecifier.text.startsWith('./')) {
      const from = node.moduleSpecifier.text.slice(2);
      const bindings = node.importClause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) imports.set(element.name.text, [from, (element.propertyName ?? element.name).text]);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { file, source, functions, calls, imports };
}

const calleeName = (call: ts.CallExpression | ts.NewExpression): string | null => {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  return null;
};

const isT = (node: ts.Node) => ts.isCallExpression(node) && calleeName(node) === 't';

const propertyName = (name: ts.PropertyName): string | null =>
  ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name) ? name.text : null;

/** Finds the literals with words that reach a person, in every module given (one program: the dashboard's files). */
export function findLiterals(modules: Module[]): Finding[] {
  const byFile = new Map(modules.map((module) => [module.file, module]));
  const findings: Finding[] = [];
  const seen = new Set<ts.Node>();

  /** `words`: the literal's own text (a template's, without what fills it in); `text`: as the source writes it. */
  const report = (module: Module, node: ts.Node, words: string, text: string, sink: string) => {
    if (!HAS_WORD.test(words) || ALLOWED.has(text)) return;
    const { line } = module.source.getLineAndCharacterOfPosition(node.getStart(module.source));
    findings.push({ file: module.file, line: line + 1, text, sink });
  };

  /** The declaration `name` refers to at `at`: a parameter (of which function, at which position) or a const. */
  function resolve(
    module: Module,
    at: ts.Node,
    name: string,
  ): { kind: 'const'; initializer: ts.Expression } | { kind: 'parameter'; func: Func; index: number; property: string | null; initializer?: ts.Expression } | null {
    for (let scope: ts.Node | undefined = at.parent; scope; scope = scope.parent) {
      if (ts.isFunctionDeclaration(scope) || ts.isArrowFunction(scope) || ts.isFunctionExpression(scope)) {
        for (const [index, parameter] of scope.parameters.entries()) {
          if (ts.isIdentifier(parameter.name) && parameter.name.text === name) return { kind: 'parameter', func: scope, index, property: null, initializer: parameter.initializer };
          if (ts.isObjectBindingPattern(parameter.name)) {
            for (const element of parameter.name.elements) {
              if (ts.isIdentifier(element.name) && element.name.text === name) {
                const property = element.propertyName ? propertyName(element.propertyName) : name;
                return { kind: 'parameter', func: scope, index, property, initializer: element.initializer };
              }
            }
          }
        }
      }
      if (ts.isBlock(scope) || ts.isSourceFile(scope)) {
        for (const statement of scope.statements) {
          if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
          for (const declaration of statement.declarationList.declarations) {
            if (ts.isIdentifier(declaration.name) && declaration.name.text === name && declaration.initializer) return { kind: 'const', initializer: declaration.initializer };
          }
        }
      }
    }
    return null;
  }

  /** The name a function is called by, and the modules that may call it (its own, and those importing it). */
  function callersOf(module: Module, func: Func): Array<{ module: Module; call: ts.CallExpression }> {
    const name = [...module.functions].find(([, declared]) => declared === func)?.[0];
    if (!name) return []; // A callback: its callers are not named calls.
    const callers: Array<{ module: Module; call: ts.CallExpression }> = [];
    for (const other of byFile.values()) {
      const local = other === module ? name : [...other.imports].find(([, [from, exported]]) => from === module.file && exported === name)?.[0];
      if (!local) continue;
      for (const call of other.calls) if (calleeName(call) === local) callers.push({ module: other, call });
    }
    return callers;
  }

  /** Reports the literals with words that `node` carries to `sink`. */
  function reach(module: Module, node: ts.Node | undefined, sink: string, property: string | null = null): void {
    if (!node || seen.has(node)) return;
    seen.add(node);
    try {
      if (isT(node)) return;
      if (property !== null) {
        // A destructured parameter: only that property of the object given.
        if (ts.isObjectLiteralExpression(node)) {
          for (const element of node.properties) {
            if (ts.isPropertyAssignment(element) && propertyName(element.name) === property) reach(module, element.initializer, sink);
            if (ts.isShorthandPropertyAssignment(element) && element.name.text === property) reach(module, element.name, sink);
          }
        } else if (ts.isIdentifier(node)) {
          const declared = resolve(module, node, node.text);
          if (declared?.kind === 'const') reach(module, declared.initializer, sink, property);
        }
        return;
      }
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return report(module, node, node.text, node.text, sink);
      if (ts.isTemplateExpression(node)) {
        report(module, node, [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join(' '), node.getText(module.source), sink);
        for (const span of node.templateSpans) reach(module, span.expression, sink);
        return;
      }
      if (ts.isParenthesizedExpression(node) || ts.isSpreadElement(node) || ts.isAsExpression(node) || ts.isAwaitExpression(node)) return reach(module, node.expression, sink);
      if (ts.isConditionalExpression(node)) {
        reach(module, node.whenTrue, sink);
        return reach(module, node.whenFalse, sink);
      }
      if (ts.isBinaryExpression(node)) {
        const operator = node.operatorToken.kind;
        if (operator === ts.SyntaxKind.PlusToken || operator === ts.SyntaxKind.QuestionQuestionToken || operator === ts.SyntaxKind.BarBarToken || operator === ts.SyntaxKind.AmpersandAmpersandToken) {
          reach(module, node.left, sink);
          reach(module, node.right, sink);
        }
        return;
      }
      if (ts.isArrayLiteralExpression(node)) {
        for (const element of node.elements) reach(module, element, sink);
        return;
      }
      if (ts.isObjectLiteralExpression(node)) {
        for (const element of node.properties) {
          if (ts.isPropertyAssignment(element)) reach(module, element.initializer, sink);
          if (ts.isShorthandPropertyAssignment(element)) reach(module, element.name, sink);
        }
        return;
      }
      if (ts.isElementAccessExpression(node)) return reach(module, node.expression, sink);
      if (ts.isCallExpression(node)) {
        const callee = node.expression;
        if (ts.isPropertyAccessExpression(callee) && MAPPING_METHODS.has(callee.name.text)) {
          const [callback] = node.arguments;
          if (callback && (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))) {
            if (ts.isBlock(callback.body)) {
              const returns: ts.ReturnStatement[] = [];
              const collect = (inner: ts.Node) => {
                if (ts.isReturnStatement(inner)) returns.push(inner);
                else if (!ts.isFunctionLike(inner)) ts.forEachChild(inner, collect);
              };
              collect(callback.body);
              for (const returned of returns) reach(module, returned.expression, sink);
            } else reach(module, callback.body, sink);
          }
          return;
        }
        if (ts.isPropertyAccessExpression(callee) && CARRYING_METHODS.has(callee.name.text)) {
          reach(module, callee.expression, sink);
          if (callee.name.text === 'join' || callee.name.text === 'concat') for (const argument of node.arguments) reach(module, argument, sink);
          return;
        }
        if (calleeName(node) === 'String') for (const argument of node.arguments) reach(module, argument, sink);
        return;
      }
      if (ts.isIdentifier(node)) {
        const declared = resolve(module, node, node.text);
        if (declared?.kind === 'const') return reach(module, declared.initializer, sink);
        if (declared?.kind === 'parameter') {
          // A default is what the callers that give nothing show: `showLoading(parts, text = '…')`.
          reach(module, declared.initializer, sink);
          // The callback of `array.map(…)`: its first parameter is each element of the array.
          const { parent } = declared.func;
          if (declared.index === 0 && ts.isCallExpression(parent) && parent.arguments[0] === declared.func && ts.isPropertyAccessExpression(parent.expression) && ELEMENT_METHODS.has(parent.expression.name.text)) {
            reach(module, parent.expression.expression, sink, declared.property);
          }
          for (const { module: caller, call } of callersOf(module, declared.func)) reach(caller, call.arguments[declared.index], sink, declared.property);
        }
      }
    } finally {
      seen.delete(node);
    }
  }

  for (const module of modules) {
    const visit = (node: ts.Node) => {
      if (isT(node)) return; // Keys, and what fills them in: both checked where they come from.
      if (ts.isCallExpression(node)) {
        const name = calleeName(node);
        if (name === 'h' || name === 's') {
          node.arguments.slice(2).forEach((child) => reach(module, child, `a child of ${name}()`));
          const attributes = node.arguments[1];
          if (attributes && ts.isObjectLiteralExpression(attributes)) {
            for (const attribute of attributes.properties) {
              const attributeName = ts.isPropertyAssignment(attribute) || ts.isShorthandPropertyAssignment(attribute) ? propertyName(attribute.name) : null;
              if (attributeName === null || !SINK_ATTRIBUTES.has(attributeName)) continue;
              reach(module, ts.isPropertyAssignment(attribute) ? attribute.initializer : attribute.name, `the ${attributeName} of ${name}()`);
            }
          }
        }
        if (name !== null && SINK_CALLS.has(name)) node.arguments.forEach((argument) => reach(module, argument, `${name}()`));
        const callee = node.expression;
        if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'setAttribute') {
          const [attribute, value] = node.arguments;
          if (attribute && ts.isStringLiteral(attribute) && SINK_ATTRIBUTES.has(attribute.text)) reach(module, value, `setAttribute('${attribute.text}')`);
        }
      }
      if (ts.isNewExpression(node)) {
        const name = calleeName(node);
        if (name !== null && SINK_CONSTRUCTORS.has(name)) (node.arguments ?? []).forEach((argument) => reach(module, argument, `new ${name}()`));
      }
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left) && SINK_PROPERTIES.has(node.left.name.text)) {
        reach(module, node.right, `.${node.left.name.text} =`);
      }
      ts.forEachChild(node, visit);
    };
    visit(module.source);
  }
  return findings;
}

const FILES = readdirSync(DASHBOARD).filter((file) => file.endsWith('.js')).sort();
const MODULES = FILES.map((file) => parseModule(file, readFileSync(`${DASHBOARD}${file}`, 'utf8')));
const FINDINGS = findLiterals(MODULES);
const shown = (finding: Finding) => `${finding.file}:${finding.line} ${JSON.stringify(finding.text)} (${finding.sink})`;

describe('the dashboard writes no words of its own: they come from the catalogs', () => {
  it.each(FILES)('%s', (file) => {
    expect(FINDINGS.filter((finding) => finding.file === file).map(shown)).toEqual([]);
  });
});

describe('the check itself', () => {
  const check = (code: string, more: Record<string, string> = {}) =>
    findLiterals([parseModule('probe.js', code), ...Object.entries(more).map(([file, text]) => parseModule(file, text))]).map((finding) => finding.text);

  it('finds words given to a person, however they get there', () => {
    expect(check(`h('p', {}, 'Not loaded.');`)).toEqual(['Not loaded.']);
    expect(check(`h('p', { class: 'status', title: 'Exact time' }, t('page.x'));`)).toEqual(['Exact time']);
    expect(check('h(\'p\', {}, `${n} requests`);')).toEqual(['`${n} requests`']);
    expect(check(`s('text', {}, ok ? t('page.a') : 'no data');`)).toEqual(['no data']);
    expect(check(`element.textContent = 'Signing in…';`)).toEqual(['Signing in…']);
    expect(check(`announce(\`Signed in as \${name}.\`);`)).toEqual(['`Signed in as ${name}.`']);
    expect(check(`throw new Error('Choose the file.');`)).toEqual(['Choose the file.']);
    expect(check(`const M = 'Unreachable'; new ApiError(0, { message: M });`)).toEqual(['Unreachable']);
    expect(check(`const S = { live: 'Live: on' }; x.textContent = S[state];`)).toEqual(['Live: on']);
    expect(check(`h('td', {}, roles.join(' and '));`)).toEqual([' and ']);
    expect(check(`h('tr', {}, ['Request', 'Phase'].map((name) => h('th', { scope: 'col' }, name)));`)).toEqual(['Request', 'Phase']);
    expect(check(`h('ul', {}, items.map((item) => { if (item.gone) return 'Removed'; return h('li', {}, item.name); }));`)).toEqual(['Removed']);
    expect(check(`function saveOn(id, context) { onError(e, context); } saveOn('a', 'Not saved');`)).toEqual(['Not saved']);
    expect(check(`export function showLoading(parts, text = 'Loading…') { parts.status.textContent = text; }`)).toEqual(['Loading…']);
    // Across files: a parameter filled in by a module that imports the function.
    expect(
      findLiterals([
        parseModule('chart.js', `export function chart({ title, rows }) { return h('figcaption', {}, title); }`),
        parseModule('user.js', `import { chart } from './chart.js'; chart({ title: 'Budget by country', rows: [] });`),
      ]).map(shown),
    ).toEqual(['user.js:1 "Budget by country" (a child of h())']);
  });

  it('lets through keys, attribute names, classes, values that are no words, and what no person reads', () => {
    expect(check(`h('p', { class: 'empty', 'data-phase': phase }, t('page.pipeline.none'));`)).toEqual([]);
    expect(check(`h('p', {}, \`\${a} · \${b}\`, ' → ', '€', '—');`)).toEqual([]);
    expect(check(`h('td', {}, t(\`page.attention.column.\${name}\`));`)).toEqual([]);
    expect(check(`api.get('/requests?limit=1'); element('sign-in').hidden = true; console.error('The catalog has no message');`)).toEqual([]);
    expect(check(`const K = { live: 'page.live.on' }; x.textContent = t(K[state]);`)).toEqual([]);
    // What a callback makes of the elements is what shows, not the elements: keys mapped to their words, classes.
    expect(check(`h('tr', {}, ['request', 'phase'].map((name) => h('th', {}, t(\`page.column.\${name}\`))));`)).toEqual([]);
    expect(check(`h('ul', {}, series.map((serie) => h('li', {}, h('span', { class: \`swatch \${serie.className}\` }), serie.name)));`)).toEqual([]);
  });
});
