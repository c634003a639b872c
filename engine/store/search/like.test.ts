import { likeToRegExp, likeToSql } from './like.js';

describe('Camunda $like wildcards', () => {
  it('maps * and ? to SQL and escapes SQL wildcards', () => {
    expect(likeToSql('ab*c?')).toBe('ab%c_');
    expect(likeToSql('100%_x')).toBe('100\\%\\_x');
    expect(likeToSql('a\\*b\\?')).toBe('a*b?');
    expect(likeToSql('back\\\\slash')).toBe('back\\\\slash');
  });

  it('matches enum names in memory the same way', () => {
    expect(likeToRegExp('COMP*').test('COMPLETED')).toBe(true);
    expect(likeToRegExp('COMP*').test('CREATED')).toBe(false);
    expect(likeToRegExp('?REATED').test('CREATED')).toBe(true);
    expect(likeToRegExp('a.b').test('axb')).toBe(false);
  });
});
