import type { Page } from 'playwright-core';

/**
 * Basic accessibility checks over what a page shows now. Each returns the offending elements, described, so a
 * failure says what to fix. The callbacks run in the browser (their DOM types are not in this project's lib).
 */

/** Form controls and buttons without an accessible name (label, aria-label, aria-labelledby, or text). */
export function unnamedControls(page: Page): Promise<string[]> {
  return page.locator('input:visible, select:visible, textarea:visible, button:visible, a[href]:visible, summary:visible').evaluateAll((elements) =>
    elements
      .filter((element: any) => {
        const byLabel = [...(element.labels ?? [])].some((label: any) => label.textContent.trim() !== '');
        const byAria = (element.getAttribute('aria-label') ?? '').trim() !== '';
        const byReference = (element.getAttribute('aria-labelledby') ?? '')
          .split(/\s+/)
          .filter(Boolean)
          .some((id: string) => (element.ownerDocument.getElementById(id)?.textContent ?? '').trim() !== '');
        const isTextual = ['BUTTON', 'A', 'SUMMARY'].includes(element.tagName);
        const byText = isTextual && element.textContent.trim() !== '';
        return !(byLabel || byAria || byReference || byText);
      })
      .map((element: any) => element.outerHTML.slice(0, 120)),
  );
}

/** Images and charts without a text alternative. */
export function imagesWithoutText(page: Page): Promise<string[]> {
  return page.locator('img, svg, [role="img"]').evaluateAll((elements) =>
    elements
      .filter((element: any) => {
        if (element.closest('[aria-hidden="true"]')) return false;
        if (element.tagName === 'IMG') return !element.hasAttribute('alt');
        return element.getAttribute('role') !== 'img' || (element.getAttribute('aria-label') ?? '').trim() === '';
      })
      .map((element: any) => element.outerHTML.slice(0, 120)),
  );
}

/** Tables without a caption, and header cells that do not say what they head. */
export function tableProblems(page: Page): Promise<string[]> {
  return page.locator('table').evaluateAll((tables) =>
    tables.flatMap((table: any) => [
      ...(table.querySelector('caption')?.textContent.trim() ? [] : [`table without caption: ${table.outerHTML.slice(0, 80)}`]),
      ...[...table.querySelectorAll('th')]
        .filter((th: any) => !['col', 'row', 'colgroup', 'rowgroup'].includes(th.getAttribute('scope')))
        .map((th: any) => `th without scope: ${th.outerHTML.slice(0, 80)}`),
    ]),
  );
}

/** Headings: exactly one h1, and no level skipped on the way down. */
export function headingProblems(page: Page): Promise<string[]> {
  return page.locator('h1:visible, h2:visible, h3:visible, h4:visible, h5:visible, h6:visible').evaluateAll((headings) => {
    const problems: string[] = [];
    const levels = headings.map((heading: any) => Number(heading.tagName.slice(1)));
    if (levels.filter((level) => level === 1).length !== 1) problems.push(`expected one h1, found ${levels.filter((level) => level === 1).length}`);
    levels.forEach((level, i) => {
      if (i > 0 && level > levels[i - 1]! + 1) problems.push(`h${levels[i - 1]} followed by h${level}: "${(headings[i] as any).textContent.trim()}"`);
    });
    return problems;
  });
}

/**
 * Text below WCAG AA contrast: 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold). The background is the
 * nearest opaque background colour up the tree (images and gradients are not considered).
 */
export function contrastFailures(page: Page): Promise<string[]> {
  return page.locator('body *:visible').evaluateAll((elements) => {
    const parse = (text: string) => {
      const match = /rgba?\(([^)]+)\)/.exec(text);
      if (!match) return null;
      const [r, g, b, a = 1] = match[1]!.split(/[\s,/]+/).filter(Boolean).map(Number);
      return { r: r!, g: g!, b: b!, a };
    };
    const luminance = ({ r, g, b }: { r: number; g: number; b: number }) => {
      const channel = (value: number) => {
        const v = value / 255;
        return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    const failures: string[] = [];
    for (const element of elements as any[]) {
      const ownText = [...element.childNodes].filter((node: any) => node.nodeType === 3 && node.textContent.trim() !== '');
      if (ownText.length === 0) continue;
      const view = element.ownerDocument.defaultView;
      const style = view.getComputedStyle(element);
      const box = element.getBoundingClientRect();
      // Visually hidden text (1 px boxes for screen readers) is not seen, so it has no contrast to keep.
      if (box.width <= 1 || box.height <= 1) continue;
      const foreground = parse(element instanceof view.SVGElement ? style.fill : style.color);
      let background = null;
      for (let node = element; node && !background; node = node.parentElement) {
        const colour = parse(view.getComputedStyle(node).backgroundColor);
        if (colour && colour.a > 0) background = colour;
      }
      background ??= { r: 255, g: 255, b: 255, a: 1 };
      if (!foreground) {
        failures.push(`unreadable colour on "${element.textContent.trim().slice(0, 40)}"`);
        continue;
      }
      const [light, dark] = [luminance(foreground), luminance(background)].sort((x, y) => y - x);
      const ratio = (light! + 0.05) / (dark! + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) failures.push(`${ratio.toFixed(2)}:1 for "${element.textContent.trim().slice(0, 40)}" (${style.color} on ${JSON.stringify(background)})`);
    }
    return failures;
  });
}

/** Everything above, in one list. */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  return [
    ...(await unnamedControls(page)),
    ...(await imagesWithoutText(page)),
    ...(await tableProblems(page)),
    ...(await headingProblems(page)),
    ...(await contrastFailures(page)),
  ];
}
