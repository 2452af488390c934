// Counts the aliases written in a GraphQL document from its tokens, without parsing it. Parsing and validating a
// document of thousands of aliases took over 100 ms before the alias rule could refuse it; counting tokens stops
// at the first alias past the limit, so a flood is refused in the time it takes to read up to there.
import { Lexer, Source, TokenKind } from 'graphql';

/**
 * Whether `source` writes more than `maximum` aliases; counting stops at the first one past it. An alias is a name
 * followed by a colon outside parentheses: inside them, the same shape is an argument, a variable definition or an
 * input object field. A document that does not lex is left to the parser to report; counting stops there.
 */
export function hasMoreAliasesThan(source: string, maximum: number): boolean {
  // Most documents (the entitlement query among them) have fewer colons than the limit: no need to lex them.
  if (!hasMoreThan(source, ':', maximum)) return false;
  const lexer = new Lexer(new Source(source));
  let aliases = 0;
  let parentheses = 0;
  let previous = lexer.token;
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      if (token.kind === TokenKind.PAREN_L) parentheses++;
      else if (token.kind === TokenKind.PAREN_R) parentheses = Math.max(0, parentheses - 1);
      else if (token.kind === TokenKind.COLON && parentheses === 0 && previous.kind === TokenKind.NAME) {
        if (++aliases > maximum) return true;
      }
      previous = token;
    }
  } catch {
    // A syntax error: the parser reports it with its location.
  }
  return false;
}

function hasMoreThan(text: string, character: string, count: number): boolean {
  let found = 0;
  for (let at = text.indexOf(character); at !== -1; at = text.indexOf(character, at + 1)) {
    if (++found > count) return true;
  }
  return false;
}
