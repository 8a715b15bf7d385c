{{/* Chart name, overridable. */}}
{{- define "mensa.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: <release>-<chart>, or <release> when it already contains the chart name. */}}
{{- define "mensa.fullname" -}}
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

{{- define "mensa.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on every resource, without the component. */}}
{{- define "mensa.commonLabels" -}}
helm.sh/chart: {{ include "mensa.chart" . }}
app.kubernetes.io/name: {{ include "mensa.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: mensa
{{- end }}

{{/* Labels of the gateway's resources. */}}
{{- define "mensa.labels" -}}
{{ include "mensa.commonLabels" . }}
app.kubernetes.io/component: gateway
{{- end }}

{{/* Labels that select the gateway pods. */}}
{{- define "mensa.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mensa.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: gateway
{{- end }}

{{- define "mensa.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "mensa.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The image reference: digest wins over tag; tag defaults to appVersion. */}}
{{- define "mensa.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag | toString) }}
{{- end }}
{{- end }}

{{/* Name of the Secret holding DATABASE_URL / REDIS_URL. */}}
{{- define "mensa.secretName" -}}
{{- default (include "mensa.fullname" .) .Values.existingSecret }}
{{- end }}

{{- define "mensa.databaseUrlKey" -}}
{{- if .Values.existingSecret }}{{ .Values.existingSecretKeys.databaseUrl }}{{ else }}DATABASE_URL{{ end }}
{{- end }}

{{- define "mensa.redisUrlKey" -}}
{{- if .Values.existingSecret }}{{ .Values.existingSecretKeys.redisUrl }}{{ else }}REDIS_URL{{ end }}
{{- end }}

{{/* More than one pod planned? ("true" or "") */}}
{{- define "mensa.multiReplica" -}}
{{- if .Values.autoscaling.enabled }}
{{- if gt (int .Values.autoscaling.maxReplicas) 1 }}true{{ end }}
{{- else if gt (int .Values.replicaCount) 1 }}true{{ end }}
{{- end }}

{{/*
Fail early on values that would deploy something broken. Included by the Deployment.
*/}}
{{- define "mensa.validate" -}}
{{- if not .Values.existingSecret }}
{{- if not .Values.database.url }}
{{- fail "database.url is required (postgres://user:pass@host:5432/db), or set existingSecret to a Secret holding DATABASE_URL: without it the gateway would fall back to a per-pod SQLite file" }}
{{- end }}
{{- if not (hasPrefix "postgres" .Values.database.url) }}
{{- fail "database.url must be a postgres:// or postgresql:// URL: SQLite cannot be shared between pods" }}
{{- end }}
{{- if and (include "mensa.multiReplica" .) (not .Values.redis.url) }}
{{- fail "redis.url is required when more than one pod may serve (replicaCount > 1 or autoscaling): the balance cache must be shared. Set redis.url, or run a single replica" }}
{{- end }}
{{- end }}
{{- if not .Values.baseDomain }}
{{- fail "baseDomain is required (each comune is served at <slug>.<baseDomain>)" }}
{{- end }}
{{- if not (has .Values.logFormat (list "json" "text")) }}
{{- fail "logFormat must be json or text" }}
{{- end }}
{{- if and .Values.autoscaling.enabled (lt (int .Values.autoscaling.maxReplicas) (int .Values.autoscaling.minReplicas)) }}
{{- fail "autoscaling.maxReplicas must be >= autoscaling.minReplicas" }}
{{- end }}
{{- end }}

{{/* The container's writable volumes. */}}
{{- define "mensa.dataVolume" -}}
- name: data
{{- if .Values.persistence.enabled }}
  persistentVolumeClaim:
    claimName: {{ default (printf "%s-data" (include "mensa.fullname" .)) .Values.persistence.existingClaim }}
{{- else }}
  emptyDir:
    sizeLimit: {{ .Values.persistence.emptyDirSizeLimit }}
{{- end }}
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
{{- end }}

{{/* The creditor listener's Secrets: the server certificate and pagoPA's CA bundle. */}}
{{- define "mensa.pagopaTlsSecret" -}}
{{- default (printf "%s-pagopa-tls" (include "mensa.fullname" .)) .Values.pagopa.listener.tlsSecret }}
{{- end }}

{{- define "mensa.pagopaClientCaSecret" -}}
{{- default (printf "%s-pagopa-client-ca" (include "mensa.fullname" .)) .Values.pagopa.listener.clientCaSecret }}
{{- end }}
