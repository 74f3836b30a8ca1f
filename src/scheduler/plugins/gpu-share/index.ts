// The GPU-sharing plugins (the FGD paper's policies), name → factory, for the registry.
import type { PluginFactory } from '../../framework/interfaces.js';
import { newBestFitScore } from './best-fit.js';
import { newDotProductScore } from './dot-product.js';
import { newFgdScore } from './fgd.js';
import { newGpuClusteringScore } from './gpu-clustering.js';
import { newGpuPackingScore } from './gpu-packing.js';
import * as names from './names.js';
import { newOpenGpuShare } from './open-gpu-share.js';
import { newRandomScore } from './random.js';

export const GPU_SHARE_PLUGINS: readonly (readonly [string, PluginFactory])[] = [
  [names.OpenGpuShare, newOpenGpuShare],
  [names.FGDScore, newFgdScore],
  [names.BestFitScore, newBestFitScore],
  [names.DotProductScore, newDotProductScore],
  [names.GpuClusteringScore, newGpuClusteringScore],
  [names.GpuPackingScore, newGpuPackingScore],
  [names.RandomScore, newRandomScore],
];
