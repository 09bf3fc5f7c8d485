import type { PublicLine } from '../../../protocol/http.js';
import { h, uid } from '../../shared/dom.js';
import { t, topicLabel, uiLanguage } from '../i18n.js';
import { languageAutonym, languageName } from '../language-names.js';
import type { ChatRequest } from '../chat-session.js';

export interface StartChoice {
  language: string | null;
  topic: string | null;
}

/**
 * Language and topic, then "Start chat". Nothing goes to the server before the button is
 * pressed. Changing the language calls onLanguage so the page can re-render in it.
 */
export function startView(
  line: PublicLine,
  choice: StartChoice,
  handlers: { onLanguage(choice: StartChoice): void; onStart(request: ChatRequest): void },
): HTMLElement {
  const context = line.family === 'perpetrator-prevention' ? 'perpetrator-prevention' : undefined;
  const current: StartChoice = { ...choice };
  if (line.topics.length === 1) current.topic = line.topics[0] ?? null;
  if (!current.language || !line.languages.includes(current.language)) current.language = line.languages[0] ?? null;

  const errorId = uid('topic-error');
  const topicError = h('p', { id: errorId, class: 'field-error', hidden: true }, t('start.chooseTopic'));

  const languageField = line.languages.length > 1
    ? radioGroup('language', t('start.language'), line.languages.map((code) => ({ value: code, label: languageAutonym(code), lang: code })), current.language, (value) => {
        current.language = value;
        handlers.onLanguage({ ...current });
      })
    : h('p', {}, t('start.languageOnly', { language: languageName(current.language ?? '', uiLanguage()) }));

  const topicField = line.topics.length > 1
    ? radioGroup('topic', t('start.topic', { context }), line.topics.map((id) => ({ value: id, label: topicLabel(id) })), current.topic, (value) => {
        current.topic = value;
        topicError.hidden = true;
      }, errorId)
    : null;

  const form = h('form', { class: 'start-form', novalidate: true },
    languageField,
    topicField,
    topicError,
    h('button', { type: 'submit', class: 'primary' }, t('start.submit')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!current.topic) {
      topicError.hidden = false;
      form.querySelector<HTMLInputElement>('input[name="topic"]')?.focus();
      return;
    }
    if (!current.language) return;
    handlers.onStart({ line: line.id, language: current.language, topic: current.topic });
  });

  return h('section', { class: 'view start' },
    h('h1', {}, t('start.title', { context })),
    h('p', {}, t('start.intro', { context })),
    h('p', { class: 'note' }, t('start.privacy', { context })),
    form,
  );
}

function radioGroup(
  name: string,
  legend: string,
  // lang: a label in another language than the page ("English" on a Dutch page), WCAG 3.1.2.
  options: Array<{ value: string; label: string; lang?: string }>,
  selected: string | null,
  onChange: (value: string) => void,
  describedBy?: string,
): HTMLElement {
  return h('fieldset', { class: 'choices', 'aria-describedby': describedBy },
    h('legend', {}, legend),
    options.map((option) => {
      const id = uid(name);
      const input = h('input', { type: 'radio', id, name, value: option.value, checked: option.value === selected });
      input.addEventListener('change', () => onChange(option.value));
      return h('div', { class: 'choice' }, input, h('label', { for: id, lang: option.lang }, option.label));
    }),
  );
}
