NC.data("search/terms/6e-61",{"nation":[81,103,279],"national":[139,184],"nature":[54,125,187,277]});
