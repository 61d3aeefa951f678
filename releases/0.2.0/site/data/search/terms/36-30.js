NC.data("search/terms/36-30",{"600":[210,275]});
