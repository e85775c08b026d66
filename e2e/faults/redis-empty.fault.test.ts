// Redis killed for 60 s and started again empty; see support/redis-outage.ts.
import { describeRedisOutage } from "./support/redis-outage.js";

describeRedisOutage({ keepData: false });
