// Plugin names: upstream's strings (pkg/scheduler/framework/plugins/names/names.go).
export const PrioritySort = 'PrioritySort';
export const NodeUnschedulable = 'NodeUnschedulable';
export const NodeResourcesFit = 'NodeResourcesFit';
export const DefaultBinder = 'DefaultBinder';
