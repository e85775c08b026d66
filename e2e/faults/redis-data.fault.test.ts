// Redis stopped for 60 s with a snapshot and started again with its data; see support/redis-outage.ts.
import { describeRedisOutage } from "./support/redis-outage.js";

describeRedisOutage({ keepData: true });
