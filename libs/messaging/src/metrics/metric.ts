import { Counter, CounterConfiguration, Gauge, GaugeConfiguration, Histogram, HistogramConfiguration, register } from 'prom-client';

/**
 * The process's metrics live in prom-client's default registry, which /metrics serves. A metric is made once
 * per process and found again after that (a test may build a module twice), so these return the existing one.
 */
export function counter<L extends string>(config: CounterConfiguration<L>): Counter<L> {
  return (register.getSingleMetric(config.name) as Counter<L> | undefined) ?? new Counter(config);
}

export function histogram<L extends string>(config: HistogramConfiguration<L>): Histogram<L> {
  return (register.getSingleMetric(config.name) as Histogram<L> | undefined) ?? new Histogram(config);
}

/**
 * A gauge read at scrape time. Its reading comes from the latest `read` given for that name, so when a module
 * is built again the new instance answers, not a closed one.
 */
const readers = new Map<string, (gauge: Gauge<string>) => Promise<void>>();

export function scrapedGauge<L extends string>(config: Omit<GaugeConfiguration<L>, 'collect'>, read: (gauge: Gauge<L>) => Promise<void>): Gauge<L> {
  readers.set(config.name, read as (gauge: Gauge<string>) => Promise<void>);
  const existing = register.getSingleMetric(config.name) as Gauge<L> | undefined;
  if (existing) return existing;
  return new Gauge<L>({
    ...config,
    async collect() {
      this.reset();
      // A reading that fails (the database is away) leaves the gauge empty rather than failing the whole scrape.
      await readers
        .get(config.name)?.(this as unknown as Gauge<string>)
        .catch(() => undefined);
    },
  });
}
