{{/* The release's full name, used for every object. */}}
{{- define "cohort.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "cohort.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "cohort.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "cohort.selectorLabels" -}}
app.kubernetes.io/name: cohort-controller
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "cohort.labels" -}}
{{ include "cohort.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}
