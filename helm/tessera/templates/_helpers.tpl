{{/*
Names, labels and images shared by the chart's templates.
*/}}

{{/* The chart's name, or nameOverride. */}}
{{- define "tessera.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The name of the operator's objects: fullnameOverride, else the release name when it already
contains the chart's name (helm install tessera ...), else "<release>-<chart>".
*/}}
{{- define "tessera.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Labels of every object of the release. */}}
{{- define "tessera.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "tessera.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Labels that select the operator's Pods. */}}
{{- define "tessera.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tessera.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end }}

{{/* The operator's ServiceAccount. */}}
{{- define "tessera.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "tessera.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The operator's image. */}}
{{- define "tessera.operatorImage" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* The default image of runner Pods. */}}
{{- define "tessera.runnerImage" -}}
{{- printf "%s:%s" .Values.runner.image.repository (default .Chart.AppVersion .Values.runner.image.tag) }}
{{- end }}

{{/* The URL runner Pods post their results to: the operator's Service. */}}
{{- define "tessera.resultsUrl" -}}
{{- printf "http://%s.%s.svc:%d" (include "tessera.fullname" .) .Release.Namespace (int .Values.service.resultsPort) }}
{{- end }}

{{/*
What the operator may do in a namespace it watches. Each rule is there because the operator
makes these calls (see docs/security.md); the chart's RBAC test checks both ways against the
requests the operator makes in the integration tests.
*/}}
{{- define "tessera.operatorRules" -}}
# Projects, AuthSessions and Jobs: reconciled; the operator writes only their status.
- apiGroups: ["tessera.dev"]
  resources: ["projects", "authsessions", "jobs"]
  verbs: ["get", "list", "watch"]
# Runs and JobRuns: also created (session operations, a Job's JobRuns, a JobRun's Runs),
# patched (webhook deliveries, cancellation) and deleted (history limits).
- apiGroups: ["tessera.dev"]
  resources: ["runs", "jobruns"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
- apiGroups: ["tessera.dev"]
  resources: ["projects/status", "authsessions/status", "runs/status", "jobs/status", "jobruns/status"]
  verbs: ["update"]
# Attempt Pods: created, watched (label-selected), read when missing from the cache, deleted.
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch", "create", "delete"]
# Secrets: the operator lists and watches only its own (label-selected; RBAC cannot narrow
# that), creates attempt inputs, session states and recorder tokens, updates session states,
# and reads users' credentials, proxy and webhook Secrets by name.
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch", "create", "update", "delete"]
# Session locks (<session>-lock Leases).
- apiGroups: ["coordination.k8s.io"]
  resources: ["leases"]
  verbs: ["get", "list", "watch", "create", "update"]
# Events on Tessera's resources.
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
{{- end }}

{{/* The leader-election Lease: one per installation. */}}
{{- define "tessera.leaderLease" -}}
{{- printf "%s-leader" (include "tessera.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The Secret, in the release namespace, with the key of the operator's report tokens. The operator
makes it when it first starts; it is not part of the chart, so that upgrades and GitOps syncs keep
it (delete it to rotate the key).
*/}}
{{- define "tessera.resultsKeySecret" -}}
{{- printf "%s-results-key" (include "tessera.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
