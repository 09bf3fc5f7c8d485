/**
 * The loader's only words, in every interface language of the widget. Kept inline so the
 * script on the host page stays small and fetches nothing; the chat app in the iframe
 * loads its full translations itself. `unread` avoids plural forms ("New messages: 2") so
 * one string serves every count in every language.
 */
export interface LoaderStrings {
  /** The language these words are in, for the lang attribute (WCAG 3.1.2 Language of Parts). */
  lang: string;
  launcher: string;
  frameTitle: string;
  quickExit: string;
  /** `{n}` is the number of counsellor messages that arrived while minimised. */
  unread: string;
}

type Words = Omit<LoaderStrings, 'lang'>;

export const LOADER_STRINGS: Record<string, Words> = {
  nl: { launcher: 'Chat met ons', frameTitle: 'Chat met een hulpverlener', quickExit: 'Snel weg', unread: 'Nieuwe berichten: {n}' },
  fr: { launcher: 'Chattez avec nous', frameTitle: 'Chat avec un·e écoutant·e', quickExit: 'Sortie rapide', unread: 'Nouveaux messages : {n}' },
  de: { launcher: 'Mit uns chatten', frameTitle: 'Chat mit einer Beraterin oder einem Berater', quickExit: 'Schnell weg', unread: 'Neue Nachrichten: {n}' },
  en: { launcher: 'Chat with us', frameTitle: 'Chat with a counsellor', quickExit: 'Quick exit', unread: 'New messages: {n}' },
  ar: { launcher: 'تحدّث معنا', frameTitle: 'محادثة مع مستشار أو مستشارة', quickExit: 'خروج سريع', unread: 'رسائل جديدة: {n}' },
  tr: { launcher: 'Bizimle yazışın', frameTitle: 'Bir danışmanla sohbet', quickExit: 'Hızlı çıkış', unread: 'Yeni mesajlar: {n}' },
  es: { launcher: 'Chatea con nosotros', frameTitle: 'Chat con una persona de apoyo', quickExit: 'Salida rápida', unread: 'Mensajes nuevos: {n}' },
  ru: { launcher: 'Напишите нам', frameTitle: 'Чат с консультантом', quickExit: 'Быстрый выход', unread: 'Новые сообщения: {n}' },
  uk: { launcher: 'Напишіть нам', frameTitle: 'Чат із консультантом', quickExit: 'Швидкий вихід', unread: 'Нові повідомлення: {n}' },
  ro: { launcher: 'Scrie-ne', frameTitle: 'Chat cu un consilier sau o consilieră', quickExit: 'Ieșire rapidă', unread: 'Mesaje noi: {n}' },
  pl: { launcher: 'Napisz do nas', frameTitle: 'Czat z osobą konsultującą', quickExit: 'Szybkie wyjście', unread: 'Nowe wiadomości: {n}' },
  pt: { launcher: 'Fale connosco', frameTitle: 'Chat com a nossa equipa de apoio', quickExit: 'Saída rápida', unread: 'Novas mensagens: {n}' },
  it: { launcher: 'Scrivici', frameTitle: 'Chat con un operatore o un’operatrice', quickExit: 'Uscita rapida', unread: 'Nuovi messaggi: {n}' },
  fa: { launcher: 'با ما گفتگو کنید', frameTitle: 'گفتگو با یک مشاور', quickExit: 'خروج سریع', unread: 'پیام‌های تازه: {n}' },
  so: { launcher: 'Nala sheekayso', frameTitle: 'Sheeko lala yeesho la-taliye', quickExit: 'Ka bax hadda', unread: 'Farriimo cusub: {n}' },
  sq: { launcher: 'Bisedoni me ne', frameTitle: 'Bisedë me një këshilltar', quickExit: 'Dalje e shpejtë', unread: 'Mesazhe të reja: {n}' },
};

export function loaderStrings(lang: string | null | undefined): LoaderStrings {
  const primary = (lang ?? '').toLowerCase().split('-')[0] ?? '';
  const found = LOADER_STRINGS[primary];
  return found ? { lang: primary, ...found } : { lang: 'en', ...(LOADER_STRINGS.en as Words) };
}
