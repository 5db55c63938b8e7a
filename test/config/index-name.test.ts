import { describe, expect, it } from 'vitest';
import { indexNameProblem } from '../../src/config/index-name.js';

describe('indexNameProblem', () => {
  it.each(['blog', 'blog-2024.11', 'a', 'posts_v2', 'é-accent', 'x'.repeat(255)])('accepts %s', (name) => {
    expect(indexNameProblem(name)).toBeUndefined();
  });

  it.each([
    ['', /empty/],
    ['.', /"\." or "\.\."/],
    ['..', /"\." or "\.\."/],
    ['Blog', /lowercase/],
    ['../etc', /"\/"/],
    ['a\\b', /"\\"/],
    ['a*b', /"\*"/],
    ['a?b', /"\?"/],
    ['a"b', /"""/],
    ['a<b', /"<"/],
    ['a>b', /">"/],
    ['a|b', /"\|"/],
    ['a,b', /","/],
    ['a#b', /"#"/],
    ['a b', /space/],
    ['a:b', /":"/],
    ['-blog', /start with/],
    ['_blog', /start with/],
    ['+blog', /start with/],
    ['x'.repeat(256), /256 bytes/],
    ['é'.repeat(128), /256 bytes/],
  ])('rejects %j', (name, reason) => {
    expect(indexNameProblem(name)).toMatch(reason);
  });
});
