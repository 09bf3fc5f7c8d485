/** Every way a sentence could appear if something encoded it on the way. */
export function encodings(sentence: string): string[] {
  const utf8 = Buffer.from(sentence, 'utf8');
  return [
    sentence,
    JSON.stringify(sentence).slice(1, -1),
    encodeURIComponent(sentence),
    utf8.toString('base64'),
    utf8.toString('base64url'),
    utf8.toString('hex'),
    Buffer.from(sentence, 'utf16le').toString('base64'),
    // a distinctive fragment, in case a sentence is cut or padded differently
    sentence.slice(8, 28),
    Buffer.from(sentence.slice(8, 28)).toString('base64').slice(0, 24),
  ];
}
