{{/* Name prefix of every object: the release name, plus "-meridian" unless it contains "meridian". */}}
{{- define "meridian.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "meridian.controllerName" -}}
{{- printf "%s-controller" (include "meridian.fullname" .) -}}
{{- end -}}

{{- define "meridian.serviceAccountName" -}}
{{- default (include "meridian.controllerName" .) .Values.serviceAccount.name -}}
{{- end -}}

{{- define "meridian.redisName" -}}
{{- printf "%s-redis" (include "meridian.fullname" .) -}}
{{- end -}}

{{- define "meridian.labels" -}}
app.kubernetes.io/name: {{ default .Chart.Name .Values.nameOverride }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: meridian
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "meridian.controllerSelector" -}}
app.kubernetes.io/name: {{ default .Chart.Name .Values.nameOverride }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: controller
{{- end -}}

{{- define "meridian.redisSelector" -}}
app.kubernetes.io/name: {{ default .Chart.Name .Values.nameOverride }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: redis
{{- end -}}

{{- define "meridian.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/*
The controller's settings and their environment variables (controller/config/settings.ts). Only
these keys are accepted under .Values.config (values.schema.json); e2e/deploy-chart.e2e.test.ts
checks this table against the controller's.
*/}}
{{- define "meridian.settingEnv" -}}
syncNamespace: MERIDIAN_SYNC_NAMESPACE
gatewayNamespace: MERIDIAN_GATEWAY_NAMESPACE
hostSuffix: MERIDIAN_HOST_SUFFIX
exportToLimit: MERIDIAN_EXPORT_TO_LIMIT
identityLabel: MERIDIAN_IDENTITY_LABEL
envAnnotation: MERIDIAN_ENV_ANNOTATION
envLabels: MERIDIAN_ENV_LABELS
defaultEnv: MERIDIAN_DEFAULT_ENV
resyncInterval: MERIDIAN_RESYNC_INTERVAL
writeRate: MERIDIAN_WRITE_RATE
writeBurst: MERIDIAN_WRITE_BURST
queueConcurrency: MERIDIAN_QUEUE_CONCURRENCY
queueAttempts: MERIDIAN_QUEUE_ATTEMPTS
queueBackoff: MERIDIAN_QUEUE_BACKOFF
queueBackoffJitter: MERIDIAN_QUEUE_BACKOFF_JITTER
queueRateLimit: MERIDIAN_QUEUE_RATE_LIMIT
queueKeepFailed: MERIDIAN_QUEUE_KEEP_FAILED
logLevel: MERIDIAN_LOG_LEVEL
leaseName: MERIDIAN_LEASE_NAME
leaseDuration: MERIDIAN_LEASE_DURATION
{{- end -}}

{{/* REDIS_URL: from the bundled Redis's Service, the chart's Secret, or the user's Secret. */}}
{{- define "meridian.redisUrlEnv" -}}
- name: REDIS_URL
{{- if .Values.redis.bundled.enabled }}
  value: {{ printf "redis://%s:6379" (include "meridian.redisName" .) | quote }}
{{- else if .Values.redis.url }}
  valueFrom:
    secretKeyRef:
      name: {{ include "meridian.redisName" . }}-url
      key: url
{{- else }}
  valueFrom:
    secretKeyRef:
      name: {{ required "redis: set redis.existingSecret.name, redis.url or redis.bundled.enabled" .Values.redis.existingSecret.name }}
      key: {{ .Values.redis.existingSecret.key }}
{{- end }}
{{- end -}}
