NC.data("search/terms/63-69",{"circles":[112,221,251,280]});
