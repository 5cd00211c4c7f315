import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { CATALOGS } from '../../i18n/messages';

/**
 * The API's errors are worded in the caller's language: each carries a catalog message (`error.*`) and its values,
 * never words of its own. The types hold most of it (ApiError takes a LocalizedMessage); this check holds the rest,
 * on the sources as written (the TypeScript compiler's parser, no type check, nothing run):
 *
 * - the message of `new ApiError(status, code, message)`, of the database layer's errors people read
 *   (UserInputError, MemberInUseError, ActionPlanConflict), and what `onlyFor()` and `restrictRoutes()` tell a caller
 *   of another role, is no string or template — nor a conditional, a `+` or a `??` that makes one;
 * - nothing in such a message, nor in a refusal of the workflow's rules (an object with a `kind` and a `key`), is a
 *   text of two words or more: a word a person reads is a catalog message too (`{ key: 'error.role.chair' }`);
 * - every `error.*` key the code names is in the catalogs, and every `error.*` key of the catalogs is named.
 *
 * The CLI's usage errors (cli/) are English for the operators at their terminal: not checked here.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FOLDERS = ['api', 'activities', 'db', 'workflows', 'i18n'];

/** Constructors and calls whose argument at this index is what a person reads. */
const MESSAGE_CONSTRUCTORS: Record<string, number> = { ApiError: 2, UserInputError: 0, MemberInUseError: 0, ActionPlanConflict: 0 };
const MESSAGE_CALLS: Record<string, number> = { onlyFor: 1, restrictRoutes: 2 };

/** Two words or more: a sentence, or a phrase. Codes, fields, paths and keys are one "word" each ('body.email'). */
const WORDS = /\p{L}{2,}[^\S\n]+\p{L}{2,}/u;

export interface Finding {
  file: string;
  line: number;
  text: string;
  why: string;
}

/** The literal texts of an expression, with the texts of a template between its substitutions. */
function literalTexts(node: ts.Node): string[] {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text];
  if (ts.isTemplateExpression(node)) return [node.head.text, ...node.templateSpans.map((span) => span.literal.text), ...node.templateSpans.flatMap((span) => literalTexts(span.expression))];
  const found: string[] = [];
  ts.forEachChild(node, (child) => void found.push(...literalTexts(child)));
  return found;
}

/** Whether the expression makes a text: a string or template, or a conditional, `+`, `??` or `||` of one. */
function makesText(node: ts.Expression): boolean {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) return true;
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node)) return makesText(node.expression);
  if (ts.isConditionalExpression(node)) return makesText(node.whenTrue) || makesText(node.whenFalse);
  if (ts.isBinaryExpression(node)) {
    const kind = node.operatorToken.kind;
    if (kind === ts.SyntaxKind.PlusToken) return makesText(node.left) || makesText(node.right);
    if (kind === ts.SyntaxKind.QuestionQuestionToken || kind === ts.SyntaxKind.BarBarToken) return makesText(node.left) || makesText(node.right);
  }
  return false;
}

const calleeName = (expression: ts.Expression): string | null =>
  ts.isIdentifier(expression) ? expression.text : ts.isPropertyAccessExpression(expression) ? expression.name.text : null;

const isRefusal = (node: ts.ObjectLiteralExpression) => {
  const names = new Set(node.properties.map((p) => (p.name && ts.isIdentifier(p.name) ? p.name.text : null)));
  return names.has('kind') && (names.has('key') || names.has('message'));
};

export function findUntranslated(file: string, text: string): Finding[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const findings: Finding[] = [];
  const report = (node: ts.Node, text: string, why: string) =>
    findings.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, text, why });
  const checkMessage = (node: ts.Expression, sink: string) => {
    if (makesText(node)) report(node, node.getText(source), `the message of ${sink} is a text, not a catalog message`);
    for (const literal of literalTexts(node)) if (WORDS.test(literal)) report(node, literal, `words in the message of ${sink}`);
  };
  const visit = (node: ts.Node) => {
    if (ts.isNewExpression(node)) {
      const name = calleeName(node.expression);
      const index = name === null ? undefined : MESSAGE_CONSTRUCTORS[name];
      const message = index === undefined ? undefined : node.arguments?.[index];
      if (message) checkMessage(message, `new ${name}()`);
    }
    if (ts.isCallExpression(node)) {
      const name = calleeName(node.expression);
      const index = name === null ? undefined : MESSAGE_CALLS[name];
      const message = index === undefined ? undefined : node.arguments[index];
      if (message) checkMessage(message, `${name}()`);
    }
    if (file.startsWith('workflows/') && ts.isObjectLiteralExpression(node) && isRefusal(node)) {
      for (const property of node.properties) {
        if (property.name && ts.isIdentifier(property.name) && property.name.text === 'message') report(property, property.getText(source), 'a refusal words itself');
      }
      for (const literal of literalTexts(node)) if (WORDS.test(literal)) report(node, literal, 'words in a refusal');
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return findings;
}

/** The `error.*` keys a source names: whole keys, and the prefixes of keys made with a template (`error.role.${role}`) or named as one. */
export function keysNamed(file: string, text: string): { keys: string[]; prefixes: string[] } {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const keys: string[] = [];
  const prefixes: string[] = [];
  const visit = (node: ts.Node) => {
    // A literal ending in a dot names a family of keys, as a template's head does ('error.singleSignOn.' in PAGE_PREFIXES).
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && /^error\.[\w.]+$/.test(node.text)) (node.text.endsWith('.') ? prefixes : keys).push(node.text);
    if (ts.isTemplateExpression(node) && /^error\.[\w.]*$/.test(node.head.text)) prefixes.push(node.head.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { keys, prefixes };
}

const FILES = FOLDERS.flatMap((folder) =>
  (readdirSync(`${ROOT}${folder}`, { recursive: true }) as string[])
    .filter((file) => file.endsWith('.ts'))
    .map((file) => `${folder}/${file}`),
).sort();
const SOURCES = new Map(FILES.map((file) => [file, readFileSync(`${ROOT}${file}`, 'utf8')]));
const shown = (finding: Finding) => `${finding.file}:${finding.line} ${JSON.stringify(finding.text)} (${finding.why})`;

describe('the API’s errors and the rules’ refusals are catalog messages, worded in the reader’s language', () => {
  it.each(FILES.filter((file) => !file.startsWith('i18n/')))('%s', (file) => {
    expect(findUntranslated(file, SOURCES.get(file)!).map(shown)).toEqual([]);
  });

  const named = [...SOURCES].map(([file, text]) => keysNamed(file, text));
  const keys = new Set(named.flatMap((n) => n.keys));
  const prefixes = new Set(named.flatMap((n) => n.prefixes));
  const catalogKeys = Object.keys(CATALOGS.en).filter((key) => key.startsWith('error.'));

  it('names only keys the catalogs have', () => {
    expect([...keys].filter((key) => !(key in CATALOGS.en))).toEqual([]);
    expect([...prefixes].filter((prefix) => !catalogKeys.some((key) => key.startsWith(prefix)))).toEqual([]);
  });

  it('leaves no error.* message of the catalogs unused', () => {
    expect(catalogKeys.filter((key) => !keys.has(key) && ![...prefixes].some((prefix) => key.startsWith(prefix)))).toEqual([]);
  });
});

describe('the check itself', () => {
  const check = (code: string, file = 'api/probe.ts') => findUntranslated(file, code).map((finding) => finding.text);

  it('finds the words an error or a refusal would carry', () => {
    expect(check(`throw new ApiError(404, 'not_found', 'No such thing.');`)).toEqual(["'No such thing.'", 'No such thing.']);
    expect(check('throw new ApiError(404, `x`, `No meeting ${id}.`, {});')).toEqual(['`No meeting ${id}.`', 'No meeting ']);
    expect(check(`new ApiError(409, 'c', ok ? { key: 'error.a' } : 'Try again later');`)).toEqual(["ok ? { key: 'error.a' } : 'Try again later'", 'Try again later']);
    expect(check(`new ApiError(400, 'c', prefix + reason);`)).toEqual([]);
    expect(check(`new ApiError(400, 'c', 'body: ' + reason);`)).toEqual(["'body: ' + reason"]);
    expect(check(`new ApiError(400, 'c', { key: 'error.asWorded', values: { text: 'Something broke here' } });`)).toEqual(['Something broke here']);
    expect(check(`throw new UserInputError(\`the name \${name} is taken\`);`, 'db/probe.ts')).toEqual(['`the name ${name} is taken`', 'the name ', ' is taken']);
    expect(check(`restrictRoutes(fastify, ['admin'], 'Only administrators');`)).toEqual(["'Only administrators'", 'Only administrators']);
    expect(check(`const r = { kind: 'conflict', message: 'Already done.' };`, 'workflows/probe.ts')).toEqual(["message: 'Already done.'", 'Already done.']);
    expect(check(`const r = { kind: 'forbidden', key: 'error.x', values: { who: 'the Chair' } };`, 'workflows/probe.ts')).toEqual(['the Chair']);
  });

  it('lets through keys, codes, fields, paths and quoting that hold no words', () => {
    expect(check(`new ApiError(404, 'request_not_found', { key: 'error.requestNotFound', values: { id } }, { field: 'body.country' });`)).toEqual([]);
    expect(check(`new ApiError(415, 'x', { key: 'error.documentType', values: { sent: \`'\${sent}'\`, types: commaList(TYPES) } });`)).toEqual([]);
    expect(check(`onlyFor(['admin'], { key: 'error.onlyAdminsCountries' });`)).toEqual([]);
    expect(check(`const r = { kind: 'conflict', key: 'error.conditionsOpen', values: { open: commaList(open.map((c) => \`'\${c.text}'\`)) } };`, 'workflows/probe.ts')).toEqual([]);
    expect(check(`console.log('Not an error at all');`)).toEqual([]);
  });

  it('collects the keys named, whole or by prefix', () => {
    expect(keysNamed('probe.ts', "const a = { key: 'error.x' }; const b = { key: `error.role.${role}` }; t('page.y');")).toEqual({ keys: ['error.x'], prefixes: ['error.role.'] });
  });
});
