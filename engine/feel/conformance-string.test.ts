import { conformance, feel } from './conformance-support.js';

// Camunda 8.8 docs, FEEL › Built-in functions › String functions (Camunda extensions included).
conformance('string functions', [
  ['substring("foobar", 3)', 'obar'],
  ['substring("foobar", 3, 3)', 'oba'],
  ['substring("foobar", -2, 1)', 'a'],
  ['string length("foo")', 3],
  ['string length("🐎ab")', 3],
  ['upper case("aBc4")', 'ABC4'],
  ['lower case("aBc4")', 'abc4'],
  ['substring before("foobar", "bar")', 'foo'],
  ['substring after("foobar", "ob")', 'ar'],
  ['contains("foobar", "of")', false],
  ['starts with("foobar", "fo")', true],
  ['ends with("foobar", "r")', true],
  ['matches("foobar", "^fo*bar")', true],
  ['replace("abcd", "(ab)|(a)", "[1=$1][2=$2]")', '[1=ab][2=]cd'],
  ['replace("0123456789", "(\\d{3})(\\d{3})(\\d{4})", "($1) $2-$3")', '(012) 345-6789'],
  ['split("John Doe", "\\s")', ['John', 'Doe']],
  ['split("a;b;c;;", ";")', ['a', 'b', 'c', '', '']],
  ['extract("references are 1234, 1256, 1378", "12[0-9]*")', ['1234', '1256']],
  ['trim("  hello world  ")', 'hello world'],
  ['trim("hello   world ")', 'hello   world'],
  ['string join(["a","b","c"])', 'abc'],
  ['string join(["a","b","c"], ", ")', 'a, b, c'],
  ['string join(["a","b","c"], ", ", "[", "]")', '[a, b, c]'],
  ['string join(["a",null,"c"])', 'ac'],
  ['string join([], "X")', ''],
  ['is blank("")', true],
  ['is blank(" ")', true],
  ['is blank("hello world")', false],
  ['to base64("FEEL")', 'RkVFTA=='],
  ['string length(uuid())', 36],
]);

// The regular-expression functions take Java's syntax (java.util.regex) and the FEEL flags.
conformance('regular expressions in Java syntax', [
  // A backslash before a character that is no FEEL string escape stays in the pattern (`\:`, `\d`, `\.`).
  ['matches("a:b", "a\\:b")', true],
  ['replace("a:b:c", "\\:", "-")', 'a-b-c'],
  ['matches("12:30", "^\\d{2}\\:\\d{2}$")', true],
  ['replace("a.b", "\\.", "-")', 'a-b'],
  ['replace("abc", "b", "\\$")', 'a$c'],
  ['matches("FOO", "foo", "i")', true],
  ['matches("a\\nb", "a.b", "s")', true],
  ['matches("x\\ny", "^y$", "m")', true],
  ['matches("hello world", "hello\\ world # the words", "x")', true],
  ['matches("ABC", "(?i)abc")', true],
  // Java's POSIX classes (US-ASCII), java.lang.Character classes, Is-prefixed scripts and categories.
  ['matches("abc", "^\\p{Alpha}+$")', true],
  ['matches("ab1", "^\\p{Alpha}+$")', false],
  ['matches("abc", "^\\p{Lower}+$")', true],
  ['matches("ABC", "^\\p{Upper}+$")', true],
  ['matches("a1", "^[\\p{Alpha}\\p{Digit}]+$")', true],
  ['matches("!?", "^\\p{Punct}+$")', true],
  ['matches("ab", "\\P{Alnum}")', false],
  ['matches("é", "^\\p{IsAlphabetic}$")', true],
  ['matches("é", "^\\p{Alpha}$")', false],
  ['matches("é", "^\\p{javaLowerCase}$")', true],
  ['matches("Ω", "^\\p{IsGreek}$")', true],
  ['matches("Ä", "^\\p{Lu}$")', true],
  ['matches("Ä", "^\\p{IsLu}$")', true],
  ['matches("a\\tb", "a\\hb")', true],
  ['matches("a\\nb", "a\\vb")', true],
  ['matches("A", "\\u0041")', true],
  ['matches("A", "\\0101")', true],
  ['matches("x", "[\\]x]")', true],
  // Java's line-break class `\R` (feelin read `"\R"` as a carriage return: its escapes ignored case).
  ['split("a\\r\\nb\\nc", "\\R")', ['a', 'b', 'c']],
]);

describe('Java-only regular expressions are reported, not answered differently', () => {
  test.each([
    ['matches("aaa", "a++")', 'possessive quantifier'],
    ['matches("aaa", "(?>a)")', 'atomic group'],
    ['matches("b", "[a-z&&[^a]]")', 'intersection'],
    ['matches("b", "[a[b]]")', 'nested character class'],
    ['matches("Ω", "\\p{InGreek}")', 'Unicode block'],
    ['matches("aa", "(a)\\1")', 'escape sequence'],
  ])('%s fails naming the construct (%s)', (expression, reason) => {
    expect(() => feel(expression)).toThrow(new RegExp(`matches\\(\\): the pattern .* is not supported \\(.*${reason}`));
  });

  test('a pattern Java rejects too is null (with a warning), as in Camunda', () => {
    expect(feel('matches("a", "(")')).toBeNull();
  });
});
