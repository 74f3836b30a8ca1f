// Plugin names of the GPU-sharing plugins: the FGD simulator's strings
// (hkust-adsl/kubernetes-scheduler-simulator pkg/type/const.go).
export const OpenGpuShare = 'Open-Gpu-Share';
export const FGDScore = 'FGDScore';
export const BestFitScore = 'BestFitScore';
export const DotProductScore = 'DotProductScore';
export const GpuClusteringScore = 'GpuClusteringScore';
export const GpuPackingScore = 'GpuPackingScore';
export const RandomScore = 'RandomScore';
