import { h } from './dom.js';
import { phaseLabel } from './format.js';
import { t } from './i18n.js';
import { requestLink } from './pipeline-view.js';

/** Full-text search (`GET /requests?q=`): the API searches only what the caller may see, never personal data. */

const LIMIT = 20;
let generation = 0;

const results = () => document.getElementById('search-results');

export async function search(api, query, onError) {
  generation += 1;
  const mine = generation;
  const q = query.trim();
  if (q === '') {
    results().replaceChildren();
    return;
  }
  results().setAttribute('aria-busy', 'true');
  results().replaceChildren(h('p', { class: 'status' }, t('page.search.searching', { q })));
  try {
    const page = await api.get(`/requests?${new URLSearchParams({ q, limit: String(LIMIT) })}`);
    if (mine !== generation) return;
    const found = page.items.length;
    const count = found === 0 ? t('page.search.none', { q }) : t('page.search.found', { n: found, more: page.nextCursor ? '+' : '', q });
    const list = h(
      'ul',
      { class: 'result-list' },
      page.items.map((item) => h('li', {}, requestLink(item), h('span', { class: 'meta' }, ` ${item.country} · ${phaseLabel(item.phase)}`))),
    );
    results().replaceChildren(h('p', { class: 'status' }, count), ...(found > 0 ? [list] : []));
  } catch (error) {
    if (mine !== generation) return;
    results().replaceChildren();
    onError(error, t('page.error.search'));
  } finally {
    if (mine === generation) results().removeAttribute('aria-busy');
  }
}

export function clearSearch() {
  generation += 1;
  results().replaceChildren();
}
