import { BuiltinProvider } from "../../../controller/src/providers/index.js";
import { startExpositionServer } from "../../helpers/prometheus-target.js";
import { providerContract } from "./contract.case.js";

providerContract("builtin", async (exposition) => {
  const server = await startExpositionServer(exposition);
  return {
    provider: new BuiltinProvider({ url: `${server.url}/stats/prometheus` }),
    close: () => server.close(),
  };
});
