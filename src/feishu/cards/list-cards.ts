import type { ListCardPresenter, ListView } from '../../workflows/queries/views.js';
import type { CardJson } from '../../workflows/ports.js';
import { renderCard } from './template.js';

export function listCard(view: ListView): CardJson {
  return renderCard('item-list', { ...view, footer: view.footer ?? '' });
}

export const listCards: ListCardPresenter = { list: listCard };
