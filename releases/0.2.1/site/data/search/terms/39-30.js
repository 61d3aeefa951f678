NC.data("search/terms/39-30",{"900":[93,218]});
