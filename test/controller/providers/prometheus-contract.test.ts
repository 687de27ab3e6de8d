import { PrometheusProvider } from "../../../controller/src/providers/index.js";
import { startPrometheus } from "../../helpers/prometheus.js";
import { startExpositionServer } from "../../helpers/prometheus-target.js";
import { providerContract } from "./contract.case.js";

providerContract("prometheus", async (exposition) => {
  const target = await startExpositionServer(exposition);
  const prometheus = await startPrometheus({ targets: [target.target] });
  const at = await prometheus.waitForScrape();
  return {
    provider: new PrometheusProvider({ url: prometheus.url }),
    at,
    close: async () => {
      await prometheus.close();
      await target.close();
    },
  };
});
