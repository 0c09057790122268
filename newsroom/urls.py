from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from articles.views import robots_txt, sitemap_articles, sitemap_index, sitemap_news, sitemap_pages
from newsroom.availability import healthz, readyz
from newsroom.icons import favicon, web_manifest
from newsroom.media import serve_media

handler400 = "newsroom.availability.bad_request"
handler500 = "newsroom.availability.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("recommended/", include("recommendations.urls")),
    path("promotions/", include("promotions.urls")),
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemaps/pages.xml", sitemap_pages, name="sitemap_pages"),
    path("sitemaps/news.xml", sitemap_news, name="sitemap_news"),
    path("sitemaps/articles-<int:page>.xml", sitemap_articles, name="sitemap_articles"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("favicon.ico", favicon, name="favicon"),
    path("manifest.webmanifest", web_manifest, name="web_manifest"),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("", include("articles.urls")),
]

# Uploaded images are served by Django only while developing; production serves MEDIA_ROOT itself.
urlpatterns += static(settings.MEDIA_URL, view=serve_media)
