/**
 * The request form for a bare `enrol`: contractor (type-ahead through Data.Query), method, reason.
 */
import { shortText } from '../text.js';
import { ACTION_VERBS, type RequestFormView } from '../views.js';
import { expand } from './expand.js';
import template from './templates/form.json' with { type: 'json' };

/** Teams shows at most 15 options in a type-ahead dropdown; more would only weigh the card down. */
export const FORM_INITIAL_CHOICES = 15;

/** The dataset name Teams sends back in the `application/search` invoke for type-ahead. */
export const CONTRACTOR_DATASET = 'contractors';

/**
 * Fills the form template. Choice titles are plain text, so they are cleaned and capped only.
 * Without initial choices the contractor becomes a text input: the SDK (and older clients) reject
 * a ChoiceSet with no choices, and the bot resolves typed text the same way as a typed request.
 */
export function formCard(view: RequestFormView, scale = 1): Record<string, unknown> {
  const cap = Math.max(20, Math.floor(100 * scale));

  return expand(template, {
    hasChoices: view.contractors.length > 0,
    contractors: view.contractors.slice(0, FORM_INITIAL_CHOICES).map((c) => ({
      title: shortText(c.title, cap),
      value: c.value,
    })),
    verbs: ACTION_VERBS,
  });
}
