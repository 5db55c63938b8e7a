import type { Knex } from 'knex';
import { mulberry32 } from './seeded-random.js';

/**
 * The demo blog's database: authors, posts, tags and post_tags, as demo/models/*.ts read them
 * and mappings/*.json index them, filled with deterministic, realistic-sounding tech blog
 * posts generated from word lists (the same posts on every machine, so searches, screenshots
 * and benchmarks agree).
 *
 * Drops and recreates the four tables: run it on a demo or test database only.
 *
 * @example
 * const db = await createKnex({ client: 'pg', connection: 'pglite:.search/db' }, { baseDir: '.' });
 * await seedDemo(db, { posts: 200 }); // { authors: 12, posts: 200, tags: 18, postTags: ... }
 */
export async function seedDemo(db: Knex, { posts = 200, seed = 20_260_101 }: { posts?: number; seed?: number } = {}): Promise<{ authors: number; posts: number; tags: number; postTags: number }> {
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

  await db.schema.dropTableIfExists('post_tags');
  await db.schema.dropTableIfExists('posts');
  await db.schema.dropTableIfExists('tags');
  await db.schema.dropTableIfExists('authors');
  await db.schema.createTable('authors', (t) => {
    t.increments('id').primary();
    t.text('name').notNullable();
    t.text('bio').notNullable();
  });
  await db.schema.createTable('tags', (t) => {
    t.increments('id').primary();
    t.text('name').notNullable().unique();
  });
  await db.schema.createTable('posts', (t) => {
    t.increments('id').primary();
    t.text('title').notNullable();
    t.text('summary').notNullable();
    t.text('body').notNullable();
    t.integer('author_id').notNullable().references('authors.id');
    t.boolean('published').notNullable().defaultTo(true);
    t.timestamp('published_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['updated_at']);
  });
  await db.schema.createTable('post_tags', (t) => {
    t.integer('post_id').notNullable().references('posts.id').onDelete('cascade');
    t.integer('tag_id').notNullable().references('tags.id').onDelete('cascade');
    t.primary(['post_id', 'tag_id']);
  });

  await db('authors').insert(AUTHORS.map(([name, bio]) => ({ name, bio })));
  await db('tags').insert(TAGS.map((name) => ({ name })));
  const tagIds = new Map(TAGS.map((name, i) => [name, i + 1]));

  const postRows: Array<Record<string, unknown>> = [];
  const links: Array<{ post_id: number; tag_id: number }> = [];
  const start = Date.UTC(2023, 0, 9, 8, 0, 0);
  for (let i = 0; i < posts; i++) {
    const tech = pick(TECHS);
    let other = pick(TECHS);
    if (other.name === tech.name) other = TECHS[(TECHS.indexOf(tech) + 1) % TECHS.length]!;
    const words: Words = { tech: tech.name, other: other.name, concept: pick(tech.concepts), problem: pick(PROBLEMS), metric: pick(METRICS), useCase: pick(USE_CASES), pct: String(20 + Math.floor(random() * 70)), years: String(2 + Math.floor(random() * 9)) };
    const title = fill(pick(TITLES), words);
    const summary = fill(pick(SUMMARIES), words);
    const paragraphs = 3 + Math.floor(random() * 4);
    const body = Array.from({ length: paragraphs }, () => Array.from({ length: 3 + Math.floor(random() * 3) }, () => fill(pick(SENTENCES), { ...words, concept: pick(tech.concepts) })).join(' ')).join('\n\n');
    const publishedAt = new Date(start + i * 3 * 86_400_000 + Math.floor(random() * 10 * 3_600_000));
    const updatedAt = random() < 0.4 ? new Date(publishedAt.getTime() + Math.floor(random() * 30 * 86_400_000)) : publishedAt;
    postRows.push({ title, summary, body, author_id: 1 + Math.floor(random() * AUTHORS.length), published: random() >= 0.1, published_at: publishedAt, updated_at: updatedAt });
    const tags = new Set([...tech.tags, pick(GENERAL_TAGS)]);
    if (random() < 0.5) tags.add(pick(other.tags));
    for (const tag of tags) links.push({ post_id: i + 1, tag_id: tagIds.get(tag)! });
  }
  for (let i = 0; i < postRows.length; i += 200) await db('posts').insert(postRows.slice(i, i + 200));
  for (let i = 0; i < links.length; i += 1000) await db('post_tags').insert(links.slice(i, i + 1000));
  return { authors: AUTHORS.length, posts, tags: TAGS.length, postTags: links.length };
}

interface Words {
  tech: string;
  other: string;
  concept: string;
  problem: string;
  metric: string;
  useCase: string;
  pct: string;
  years: string;
}

const fill = (template: string, words: Words): string => {
  const text = template.replace(/\{(\w+)\}/g, (_, key: keyof Words) => words[key]);
  return text.charAt(0).toUpperCase() + text.slice(1);
};

const AUTHORS: ReadonlyArray<[string, string]> = [
  ['Ada Kovač', 'Database engineer who spends her days reading query plans and her nights tuning autovacuum.'],
  ['Bruno Alves', 'Backend developer writing about Node.js, streams and the event loop.'],
  ['Chiara Rossi', 'Search relevance engineer; has opinions about BM25 and synonyms.'],
  ['Dmitri Volkov', 'Site reliability engineer who likes boring infrastructure and good runbooks.'],
  ['Émilie Laurent', 'Frontend architect building design systems with TypeScript and React.'],
  ['Farah Haddad', 'Security engineer focused on supply chains and least privilege.'],
  ['Gustav Lindqvist', 'Rust and Go programmer who benchmarks everything twice.'],
  ['Hana Sato', 'Data engineer moving events through Kafka into warehouses.'],
  ['Ignacio Pérez', 'Platform engineer running Kubernetes clusters for product teams.'],
  ['Jia Wen', 'Engineering manager writing about testing culture and code review.'],
  ['Kwame Mensah', 'Full-stack developer who ships side projects on SQLite and a single VPS.'],
  ['Lena Fischer', 'Observability advocate: traces first, dashboards second.'],
];

const TECHS: ReadonlyArray<{ name: string; tags: readonly string[]; concepts: readonly string[] }> = [
  { name: 'PostgreSQL', tags: ['postgres', 'databases'], concepts: ['query planning', 'connection pooling', 'autovacuum', 'partial indexes', 'logical replication', 'row-level security'] },
  { name: 'Elasticsearch', tags: ['elasticsearch', 'search'], concepts: ['BM25 scoring', 'index aliases', 'analyzers', 'shard sizing', 'relevance tuning', 'highlighting'] },
  { name: 'Node.js', tags: ['node', 'javascript'], concepts: ['the event loop', 'backpressure in streams', 'worker threads', 'graceful shutdown', 'ESM modules'] },
  { name: 'TypeScript', tags: ['typescript', 'javascript'], concepts: ['discriminated unions', 'strict null checks', 'type inference', 'generics', 'declaration files'] },
  { name: 'Kubernetes', tags: ['kubernetes', 'devops'], concepts: ['pod autoscaling', 'readiness probes', 'resource limits', 'rolling deploys', 'network policies'] },
  { name: 'Redis', tags: ['redis', 'databases'], concepts: ['cache invalidation', 'rate limiting', 'pub/sub', 'eviction policies'] },
  { name: 'Kafka', tags: ['kafka', 'data'], concepts: ['consumer groups', 'exactly-once delivery', 'partition keys', 'log compaction'] },
  { name: 'React', tags: ['react', 'frontend'], concepts: ['server components', 'state management', 'suspense', 'hydration'] },
  { name: 'Rust', tags: ['rust', 'performance'], concepts: ['the borrow checker', 'async runtimes', 'zero-cost abstractions', 'error handling'] },
  { name: 'Go', tags: ['go', 'performance'], concepts: ['goroutines', 'context cancellation', 'the garbage collector', 'interfaces'] },
  { name: 'Docker', tags: ['docker', 'devops'], concepts: ['multi-stage builds', 'layer caching', 'image size', 'health checks'] },
  { name: 'SQLite', tags: ['sqlite', 'databases'], concepts: ['WAL mode', 'full-text search', 'single-file deploys', 'write concurrency'] },
  { name: 'GraphQL', tags: ['graphql', 'architecture'], concepts: ['schema design', 'the N+1 problem', 'persisted queries', 'federation'] },
  { name: 'OpenTelemetry', tags: ['observability', 'devops'], concepts: ['distributed tracing', 'sampling', 'structured logging', 'metrics cardinality'] },
];

const GENERAL_TAGS = ['architecture', 'testing', 'security', 'performance', 'career'] as const;
const TAGS: readonly string[] = [...new Set([...TECHS.flatMap((t) => t.tags), ...GENERAL_TAGS])].sort();

const PROBLEMS = ['memory leaks', 'slow queries', 'flaky tests', 'deadlocks', 'timeouts under load', 'lost writes', 'cold starts', 'runaway costs'];
const METRICS = ['p99 latency', 'cloud costs', 'build times', 'memory usage', 'error rates', 'deploy times', 'page load time'];
const USE_CASES = ['small teams', 'high-traffic APIs', 'analytics workloads', 'side projects', 'early-stage startups', 'regulated industries'];

const TITLES = [
  'a practical guide to {concept} in {tech}',
  '{tech} in production: lessons from {years} years',
  'how we cut {metric} by {pct}% with {tech}',
  'understanding {concept}',
  'debugging {problem} in {tech}',
  '{tech} vs {other} for {useCase}',
  'ten things I wish I knew about {tech}',
  'migrating from {other} to {tech} without downtime',
  'what nobody tells you about {concept}',
  '{concept} explained with real numbers',
  'the hidden cost of {problem}',
  'a field guide to {tech} for {useCase}',
];

const SUMMARIES = [
  'We walk through {concept} in {tech}, with the measurements that convinced us and the mistakes we made on the way.',
  'After {years} years of running {tech}, these are the habits that kept {problem} away.',
  'A step-by-step account of how {concept} changed our {metric}, and when it would not have helped.',
  'Comparing {tech} and {other} for {useCase}: benchmarks, operational costs and the trade-offs in between.',
  'A short, opinionated guide to {concept}, written for {useCase} who do not have a platform team.',
];

const SENTENCES = [
  'The first thing we measured was {metric}, because every later decision depended on it.',
  'In {tech}, {concept} is easy to get almost right and surprisingly hard to get exactly right.',
  'Most of the {problem} we saw came from a default nobody had questioned in {years} years.',
  'We compared {tech} with {other} on the same hardware, with the same data, three times.',
  'The change itself was small: a few lines of configuration and one new index.',
  'What mattered more was making {concept} visible in our dashboards.',
  'For {useCase}, the simplest setup that can be explained on a whiteboard usually wins.',
  'Our {metric} dropped by {pct}% within a week, and stayed there.',
  'The documentation covers {concept} well, but it skips the failure modes.',
  'We wrote a test that reproduced the {problem} before we fixed anything.',
  'Rolling it out behind a feature flag let us compare both paths on live traffic.',
  'Not every team needs {other}; many are better served by the boring tool they already run.',
  'A careful look at {concept} showed that the bottleneck was not where we expected.',
  'We kept the old path for a month, then deleted it without anyone noticing.',
  'If you take one thing from this post, let it be this: measure before you tune.',
];
