import type { RuleSet } from '@seglet/core';

/** The rule sets the test worker can be asked for (header `x-test-rules`). */
export const RULESETS: Record<string, unknown> = {
  main: {
    version: 1,
    segments: {
      mobile: { when: { context: 'device', eq: 'mobile' } },
      german: { when: { context: 'country', eq: 'DE' } },
      newsletter: { when: { context: 'utm_source', eq: 'news letter' } },
      'from-search': { when: { context: 'referrer', eq: 'www.google.com' } },
      'sale-page': { when: { context: 'path', prefix: '/sale' } },
      english: { when: { context: 'language', eq: 'en-GB' } },
      spring: { when: { context: 'utm_campaign', eq: 'spring' }, hold: '7d' },
      'spring-fan': { when: { segment: 'spring' } },
      'not-mobile': { when: { not: { context: 'device', eq: 'mobile' } } },
      morning: { when: { context: 'hour', lt: 12 } },
      monday: { when: { context: 'weekday', eq: 1 } },
      vip: { when: { context: 'plan', eq: 'vip' } },
      'high-intent': { when: { count: 'page_view', within: '24h', gte: 3 } },
      'mobile-clicker': { when: { all: [{ context: 'device', eq: 'mobile' }, { count: 'click', gte: 1 }] } },
      returning: { when: { session: 'number', gte: 2 } },
    },
  } satisfies RuleSet,
  invalid: { version: 1, segments: { 'Bad Id': { when: { context: 'device' } } } },
};
