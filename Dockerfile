# The portal's one image: web (gunicorn), worker and beat (celery) all run it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# CJK fonts for pages and PDFs; Pango/HarfBuzz for WeasyPrint; gettext for compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# Static files are collected into the image (served by WhiteNoise). The key below exists only
# for this build step; the containers get theirs from DJANGO_SECRET_KEY at run time.
RUN DJANGO_DEBUG=0 DJANGO_SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-0000 \
        python manage.py collectstatic --noinput -v0 \
    && if [ -n "$(find locale -name '*.po' 2>/dev/null)" ]; then \
        DJANGO_DEBUG=0 DJANGO_SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-0000 \
        python manage.py compilemessages -v0; fi

RUN groupadd --system --gid 1000 bureau \
    && useradd --system --uid 1000 --gid bureau --home-dir /app --shell /usr/sbin/nologin bureau \
    && mkdir -p /app/var/media \
    && chown -R bureau:bureau /app/var
USER bureau

ENV DJANGO_SETTINGS_MODULE=bureau.settings \
    DJANGO_MEDIA_ROOT=/app/var/media
EXPOSE 8000
CMD ["gunicorn", "bureau.wsgi", "--config", "gunicorn.conf.py"]
