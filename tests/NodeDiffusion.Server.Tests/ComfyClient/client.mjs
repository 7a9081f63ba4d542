// Runs ComfyUI's default text-to-image graph (API format) against a server with @stable-canvas/comfyui-client,
// exactly as a user of that package would, and prints one JSON line for ComfyNpmClientTests to check.
// Usage: node client.mjs <server url> <output folder>
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Client } from "@stable-canvas/comfyui-client";
import WebSocket from "ws";

const [serverUrl, outDir] = process.argv.slice(2);
if (!serverUrl || !outDir) {
  console.error("usage: node client.mjs <server url> <output folder>");
  process.exit(2);
}

const client = new Client({ api_host: new URL(serverUrl).host, WebSocket, clientId: "npm-comfyui-client" });
const report = { connected: false, statusEvents: 0, progress: [], executing: [], images: [] };
client.on("status", (status) => { if (status) report.statusEvents++; });
client.on("executing", (data) => report.executing.push(data?.node ?? null));

const timer = setTimeout(() => {
  console.error("timed out after 240 s");
  process.exit(3);
}, 240_000);

try {
  report.connected = await client.connect({ timeout_ms: 30_000 });
  const defs = await client.getNodeDefs();
  report.nodeDefs = ["CheckpointLoaderSimple", "CLIPTextEncode", "EmptyLatentImage", "KSampler", "VAEDecode", "SaveImage"]
    .filter((name) => defs[name]?.name === name);
  report.checkpoints = await client.getSDModels();
  report.samplers = (await client.getSamplers()).length;

  const prompt = {
    "4": { class_type: "CheckpointLoaderSimple", inputs: { ckpt_name: report.checkpoints[0] } },
    "6": { class_type: "CLIPTextEncode", inputs: { text: "a lighthouse at dawn", clip: ["4", 1] } },
    "7": { class_type: "CLIPTextEncode", inputs: { text: "blurry", clip: ["4", 1] } },
    "5": { class_type: "EmptyLatentImage", inputs: { width: 64, height: 64, batch_size: 1 } },
    "3": { class_type: "KSampler", inputs: { seed: 7, steps: 3, cfg: 7, sampler_name: "euler", scheduler: "normal", denoise: 1,
      model: ["4", 0], positive: ["6", 0], negative: ["7", 0], latent_image: ["5", 0] } },
    "8": { class_type: "VAEDecode", inputs: { samples: ["3", 0], vae: ["4", 2] } },
    "9": { class_type: "SaveImage", inputs: { filename_prefix: "npm_client", images: ["8", 0] } },
  };
  const result = await client.enqueue(prompt, {
    progress: ({ value, max, node }) => report.progress.push({ value, max, node }),
  });
  report.promptId = result.prompt_id;
  for (const [index, image] of result.images.entries()) {
    if (image.type !== "url") continue;
    const response = await fetch(image.data);
    const bytes = Buffer.from(await response.arrayBuffer());
    const path = join(outDir, `image_${index}.png`);
    await writeFile(path, bytes);
    report.images.push({ url: image.data, contentType: response.headers.get("content-type"), path, bytes: bytes.length });
  }
  console.log(JSON.stringify(report));
  clearTimeout(timer);
  client.close();
  process.exit(0);
} catch (error) {
  console.error(`client failed: ${error?.stack ?? error}`);
  console.log(JSON.stringify({ ...report, error: String(error?.message ?? error) }));
  process.exit(1);
}
