NC.data("search/terms/36-30",{"600":[217,279]});
